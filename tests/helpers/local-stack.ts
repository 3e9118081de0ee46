// Fixture stacks for the emulator's conformance tests: a cdk.tf.json written as cdktf writes one
// (resources under resource.<type>.<name>, references as "${type.name.attr}"), tiny handler zips,
// and the emulator started on it at 127.0.0.1:0.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { startServer, type RunningServer } from "../../local/server";
import { zipFiles } from "../../scripts/zip";

export interface FixtureFunction {
  /** Files of the zip, e.g. {"index.js": "exports.handler = async () => 1"}. */
  files: Record<string, string>;
  handler?: string;
  timeout?: number;
  environment?: Record<string, string>;
}

export interface FixtureResponse {
  status: string;
  pattern?: string;
  templates?: Record<string, string>;
  parameters?: Record<string, string>;
}

export interface FixtureMethod {
  /** Resource path: "/hello", "/items/{id}", "/". */
  path: string;
  method: string;
  function: string;
  type?: "AWS" | "AWS_PROXY";
  passthrough?: string;
  requestTemplates?: Record<string, string>;
  /** Integration responses; default: one default 200 without templates. */
  responses?: FixtureResponse[];
  /** Method responses; default: one per integration response status. */
  methodResponses?: { status: string; parameters?: Record<string, boolean> }[];
  /** The permission's source ARN after the execution ARN; false for none. Default "/*\/METHOD/path". */
  permission?: string | false;
}

export interface FixtureStack {
  functions: Record<string, FixtureFunction>;
  methods: FixtureMethod[];
  stageVariables?: Record<string, string>;
}

const api = "${aws_api_gateway_rest_api.api.id}";

/** Writes cdk.tf.json and the zips into a new temporary folder; returns the folder. */
export function writeStack(fixture: FixtureStack): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-stack-"));
  const resource: Record<string, Record<string, unknown>> = {
    aws_api_gateway_rest_api: { api: { name: "fixture-api" } },
    aws_api_gateway_resource: {},
    aws_api_gateway_method: {},
    aws_api_gateway_method_response: {},
    aws_api_gateway_integration: {},
    aws_api_gateway_integration_response: {},
    aws_api_gateway_deployment: { deployment: { rest_api_id: api, lifecycle: { create_before_destroy: true } } },
    aws_api_gateway_stage: {
      stage: { rest_api_id: api, deployment_id: "${aws_api_gateway_deployment.deployment.id}", stage_name: "test", variables: fixture.stageVariables },
    },
    aws_lambda_function: {},
    aws_lambda_permission: {},
  };
  for (const [name, fn] of Object.entries(fixture.functions)) {
    const zip = join(dir, "assets", `${name}.zip`);
    mkdirSync(dirname(zip), { recursive: true });
    writeFileSync(zip, zipFiles(fn.files));
    resource.aws_lambda_function[name] = {
      function_name: `fixture-${name}`,
      filename: `assets/${name}.zip`,
      handler: fn.handler ?? "index.handler",
      runtime: "nodejs22.x",
      timeout: fn.timeout ?? 3,
      role: "${aws_iam_role.role.arn}",
      environment: fn.environment && { variables: fn.environment },
    };
  }
  const resourceIds = new Map<string, string>([["", "${aws_api_gateway_rest_api.api.root_resource_id}"]]);
  fixture.methods.forEach((m, i) => {
    const parts = m.path === "/" ? [] : m.path.slice(1).split("/");
    parts.forEach((part, depth) => {
      const path = parts.slice(0, depth + 1).join("/");
      if (resourceIds.has(path)) return;
      const key = `r${resourceIds.size}`;
      resource.aws_api_gateway_resource[key] = { rest_api_id: api, parent_id: resourceIds.get(parts.slice(0, depth).join("/")), path_part: part };
      resourceIds.set(path, `\${aws_api_gateway_resource.${key}.id}`);
    });
    const resourceId = resourceIds.get(parts.join("/"));
    const key = `m${i}`;
    resource.aws_api_gateway_method[key] = { rest_api_id: api, resource_id: resourceId, http_method: m.method, authorization: "NONE" };
    const httpMethod = `\${aws_api_gateway_method.${key}.http_method}`;
    resource.aws_api_gateway_integration[key] = {
      rest_api_id: api,
      resource_id: resourceId,
      http_method: httpMethod,
      type: m.type ?? "AWS",
      integration_http_method: "POST",
      uri: `\${aws_lambda_function.${m.function}.invoke_arn}`,
      passthrough_behavior: m.passthrough,
      request_templates: m.requestTemplates,
    };
    const responses = m.type === "AWS_PROXY" ? [] : (m.responses ?? [{ status: "200" }]);
    responses.forEach((r, j) => {
      resource.aws_api_gateway_integration_response[`${key}_${j}`] = {
        rest_api_id: api,
        resource_id: resourceId,
        http_method: httpMethod,
        status_code: r.status,
        selection_pattern: r.pattern,
        response_templates: r.templates,
        response_parameters: r.parameters,
        depends_on: [`aws_api_gateway_integration.${key}`],
      };
    });
    const methodResponses: { status: string; parameters?: Record<string, boolean> }[] = m.methodResponses ?? [...new Set(responses.map((r) => r.status))].map((status) => ({ status }));
    methodResponses.forEach((r, j) => {
      resource.aws_api_gateway_method_response[`${key}_${j}`] = {
        rest_api_id: api,
        resource_id: resourceId,
        http_method: httpMethod,
        status_code: r.status,
        response_parameters: r.parameters,
      };
    });
    if (m.permission !== false) {
      const suffix = m.permission ?? `/*/${m.method === "ANY" ? "*" : m.method}${m.path}`;
      resource.aws_lambda_permission[key] = {
        statement_id: `AllowApiGateway${i}`,
        action: "lambda:InvokeFunction",
        function_name: `\${aws_lambda_function.${m.function}.function_name}`,
        principal: "apigateway.amazonaws.com",
        source_arn: `\${aws_api_gateway_rest_api.api.execution_arn}${suffix}`,
      };
    }
  });
  const document = {
    "//": { metadata: { backend: "local", stackName: "fixture", version: "0.21.0" } },
    provider: { aws: [{ region: "ap-northeast-1" }] },
    resource: JSON.parse(JSON.stringify(resource)),
    output: { url: { value: "${aws_api_gateway_stage.stage.invoke_url}" } },
  };
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(document, null, 2));
  return dir;
}

export interface Emulator {
  server: RunningServer;
  dir: string;
  /** The emulator's log lines. */
  log: string[];
  /** The functions' console output. */
  output: () => string;
  /** Resolves with the first output line that `matches`, once it is written (a worker's output lags its answer). */
  outputLine: (matches: (line: string) => boolean) => Promise<string>;
  /** Sends a request to a path under the server's URL ("/test/hello"); any Host header is sent as given. */
  request: (path: string, init?: RequestInit) => Promise<Answer>;
  close: () => Promise<void>;
}

/** Writes the stack and serves it on 127.0.0.1 at a free port. */
export async function startEmulator(fixture: FixtureStack | string, env?: Record<string, string>): Promise<Emulator> {
  const dir = typeof fixture === "string" ? fixture : writeStack(fixture);
  const log: string[] = [];
  const chunks: Buffer[] = [];
  const written = new EventEmitter();
  const functionOutput = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      written.emit("chunk");
      done();
    },
  });
  const output = () => Buffer.concat(chunks).toString("utf8");
  const outputLine = (matches: (line: string) => boolean) =>
    new Promise<string>((resolve) => {
      const look = () => {
        const found = output().split("\n").find(matches);
        if (found === undefined) return;
        written.off("chunk", look);
        resolve(found);
      };
      written.on("chunk", look);
      look();
    });
  const server = await startServer({ stack: dir, port: 0, host: "127.0.0.1", log: (line) => log.push(line), functionOutput, env });
  return {
    server,
    dir,
    log,
    output,
    outputLine,
    request: (path, init) => send(server.url + path, init),
    close: async () => {
      await server.close();
      if (typeof fixture !== "string") rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, which will not send a Host header of our choosing. */
function send(url: string, init: RequestInit = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? "GET", headers: { Connection: "close", ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A handler that answers with the event it received, as JSON. */
export const ECHO = { "index.js": "exports.handler = async (event) => event;" };
