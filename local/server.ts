// The emulator over HTTP: a node:http server in front of a Gateway, one log line per request, and
// the stack re-read when its cdk.tf.json changes (zips are re-read by the Lambda runner).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { fileStamp } from "./file-stamp";
import { Gateway, type Route } from "./gateway";
import type { GatewayResponse, Trace } from "./pipeline";
import type { Clock } from "./clock";
import { LambdaRunner } from "./lambda";
import { localAppEnv } from "./local-env";
import { loadStack, type Stack } from "./stack";

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServerOptions {
  /** Folder holding cdk.tf.json (cdktf.out/stacks/NAME). */
  stack: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Which REST API, when the stack has several. */
  api?: string;
  /** Added to every function's environment (e.g. TWILIO_AUTH_TOKEN). */
  env?: Record<string, string>;
  /** One line per request, and one per misconfiguration found. */
  log?: (line: string) => void;
  /** Where the functions' console output goes. */
  functionOutput?: Writable;
  /** Execution environments per function at most (LambdaRunnerOptions.maxEnvironments). */
  maxEnvironments?: number;
  /**
   * Where a local run finds the values of the settings and secrets the functions declare: the
   * shell's variable, then the .env file (make dev, npm run local). Re-read when either changes.
   */
  localValues?: { env: NodeJS.ProcessEnv; dotenvFile: string };
  /** Times the functions' timeouts (LambdaRunnerOptions.clock). Default: real time. */
  clock?: Clock;
  /**
   * What runs the functions. Default: a LambdaRunner over the stack's zips; make bench hands in
   * one that answers at once, to measure the HTTP and API Gateway stages alone.
   */
  runner?: Pick<LambdaRunner, "invokeJson" | "close">;
}

export interface RunningServer {
  /** "http://127.0.0.1:3000". */
  url: string;
  routes(): Route[];
  /** Every route's full URL, "POST http://127.0.0.1:3000/dev/voice/hello". */
  routeUrls(): string[];
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stackFile = join(options.stack, "cdk.tf.json");
  let stamp = fileStamp(stackFile);
  let stack = loadStack(options.stack);
  const local = localValuesOf(options, log);
  local.refresh(stack);
  const runner = options.runner ?? new LambdaRunner({
    region: stack.region,
    env: local.env,
    output: options.functionOutput,
    maxEnvironments: options.maxEnvironments,
    clock: options.clock,
  });
  let gateway = new Gateway({ stack, runner, api: options.api });

  const current = (): Gateway => {
    local.refreshIfChanged(stack);
    const now = fileStamp(stackFile);
    if (now === stamp) return gateway;
    try {
      stack = loadStack(options.stack);
      gateway = new Gateway({ stack, runner, api: options.api });
      stamp = now;
      local.refresh(stack);
      log(`stack ${stackFile} changed: reloaded`);
    } catch (error) {
      log(`stack ${stackFile} changed but cannot be read, still serving the previous one: ${(error as Error).message}`);
    }
    return gateway;
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    readBody(req)
      .then(async (body) => {
        if (body === undefined) return tooLarge();
        return current().handle({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          rawHeaders: req.rawHeaders,
          body,
          sourceIp: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
          localPort: (req.socket.address() as AddressInfo).port,
        });
      })
      .catch((error: Error): GatewayResponse => ({
        status: 500,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from('{"message": "Internal server error"}'),
        trace: { problems: [`emulator failure: ${error.stack ?? error.message}`] },
      }))
      .then((response) => {
        send(res, response);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        for (const problem of response.trace.problems) log(`  ! ${problem}`);
        log(logLine(req, response, ms));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    routes: () => gateway.routes(),
    routeUrls: () => gateway.routes().map((r) => `${r.method.padEnd(6)} ${url}/${r.stage}${r.path === "/" ? "" : r.path}`),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.close();
    },
  };
}

/**
 * The environment every function gets: the server's `env`, and the local values of declared
 * settings and secrets, computed again when the stack or the .env file changes. A missing secret
 * is said once, when it is first found missing.
 */
function localValuesOf(options: ServerOptions, log: (line: string) => void) {
  let merged: Record<string, string> = { ...options.env };
  let dotenvStamp: string | undefined;
  let said = new Set<string>();
  const refresh = (stack: Stack) => {
    if (!options.localValues) return;
    dotenvStamp = fileStamp(options.localValues.dotenvFile);
    const { env, warnings } = localAppEnv(stack.functions, options.localValues.env, options.localValues.dotenvFile);
    merged = { ...options.env, ...env };
    for (const warning of warnings) if (!said.has(warning)) log(warning);
    said = new Set(warnings);
  };
  return {
    env: () => merged,
    refresh,
    refreshIfChanged: (stack: Stack) => {
      if (options.localValues && fileStamp(options.localValues.dotenvFile) !== dotenvStamp) refresh(stack);
    },
  };
}

/** The body, or undefined past API Gateway's 10 MB limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function tooLarge(): GatewayResponse {
  return {
    status: 413,
    headers: { "Content-Type": "application/json" },
    body: Buffer.from('{"message":"Request Too Long"}'),
    trace: { problems: [] },
  };
}

function send(res: ServerResponse, response: GatewayResponse): void {
  res.writeHead(response.status, { ...response.headers, "Content-Length": String(response.body.length) });
  res.end(response.body);
}

function logLine(req: IncomingMessage, response: GatewayResponse, ms: number): string {
  const path = (req.url ?? "/").split("?")[0];
  return `${req.method} ${path} ${response.status} ${ms.toFixed(0)}ms${describe(response.trace)}`;
}

function describe(trace: Trace): string {
  const parts: string[] = [];
  if (trace.route) parts.push(`route=${trace.route}`);
  if (trace.requestTemplate) parts.push(`request=${trace.requestTemplate}`);
  if (trace.integrationResponse) parts.push(`response=${trace.integrationResponse}`);
  if (trace.responseTemplate) parts.push(`template=${trace.responseTemplate}`);
  return parts.length ? " " + parts.join(" ") : "";
}
