// Reads cdktf.out/stacks/NAME/cdk.tf.json (any stack) into the REST APIs, stages, Lambda functions
// and permissions that the gateway serves. Terraform references (`${aws_x.y.attr}`) are resolved to
// the values the named resource would have once applied, with made-up but well-formed ids and ARNs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const LOCAL_ACCOUNT_ID = "123456789012";
const DEFAULT_REGION = "us-east-1";
const DEFAULT_INTEGRATION_TIMEOUT_MS = 29000;
const DEFAULT_LAMBDA_TIMEOUT_S = 3;
const DEFAULT_LAMBDA_MEMORY_MB = 128;

export interface Stack {
  dir: string;
  region: string;
  accountId: string;
  apis: RestApi[];
  functions: LambdaFunction[];
  permissions: LambdaPermission[];
  /** Terraform outputs, references resolved. */
  outputs: Record<string, unknown>;
}

export interface RestApi {
  /** Terraform resource name (aws_api_gateway_rest_api.<key>). */
  key: string;
  id: string;
  name: string;
  executionArn: string;
  binaryMediaTypes: string[];
  stages: Stage[];
  resources: ApiResource[];
}

export interface Stage {
  name: string;
  /** The deployment the stage serves ($context.deploymentId). */
  deploymentId: string;
  variables: Record<string, string>;
}

export interface ApiResource {
  id: string;
  /** "/", "/voice", "/voice/{id}". */
  path: string;
  methods: Method[];
}

export interface Method {
  key: string;
  httpMethod: string;
  resourcePath: string;
  authorization: string;
  integration?: Integration;
  /** Method responses by status code. */
  responses: Map<string, MethodResponse>;
}

export interface MethodResponse {
  statusCode: string;
  /** "method.response.header.X" -> required. */
  responseParameters: Record<string, boolean>;
}

export interface Integration {
  key: string;
  type: string;
  uri: string;
  credentials?: string;
  /** integration_http_method: how API Gateway calls the backend (Lambda takes only POST). */
  httpMethod: string;
  passthroughBehavior: string;
  /** "integration.request.header.X" -> its source expression. */
  requestParameters: Record<string, string>;
  requestTemplates: Record<string, string>;
  timeoutMs: number;
  /** In document order: the order selection patterns are tried in. */
  responses: IntegrationResponse[];
}

export interface IntegrationResponse {
  key: string;
  statusCode: string;
  /** Empty for the default response. */
  selectionPattern: string;
  responseTemplates: Record<string, string>;
  responseParameters: Record<string, string>;
}

export interface LambdaFunction {
  key: string;
  name: string;
  arn: string;
  /** Absolute path of the deployment zip. */
  zip: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
}

export interface LambdaPermission {
  key: string;
  /** As written: a function name or ARN. */
  functionName: string;
  principal: string;
  action: string;
  sourceArn?: string;
}

type Config = Record<string, unknown>;
type Resources = Record<string, Record<string, Config>>;

/** Loads a stack folder (or its cdk.tf.json). Throws one sentence when there is nothing to serve. */
export function loadStack(path: string): Stack {
  const file = path.endsWith(".json") ? path : join(path, "cdk.tf.json");
  if (!existsSync(file)) throw new Error(`No synthesized stack at ${file}: run the synth first, or pass the folder that holds cdk.tf.json.`);
  let document: Config;
  try {
    document = JSON.parse(readFileSync(file, "utf8")) as Config;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}).`);
  }
  return new StackReader(resolve(file, ".."), document).read();
}

class StackReader {
  private readonly resources: Resources;
  private readonly data: Resources;
  private readonly region: string;
  private depth = 0;

  constructor(
    private readonly dir: string,
    private readonly document: Config,
  ) {
    this.resources = (document.resource ?? {}) as Resources;
    this.data = (document.data ?? {}) as Resources;
    const providers = (document.provider as Config | undefined)?.aws;
    const provider = (Array.isArray(providers) ? providers[0] : providers) as Config | undefined;
    this.region = typeof provider?.region === "string" ? provider.region : DEFAULT_REGION;
  }

  read(): Stack {
    const functions = this.each("aws_lambda_function").map(([key, config]) => this.lambdaFunction(key, config));
    const permissions = this.each("aws_lambda_permission").map(([key, config]) => ({
      key,
      functionName: this.text(config.function_name),
      principal: this.text(config.principal),
      action: this.text(config.action),
      sourceArn: config.source_arn === undefined ? undefined : this.text(config.source_arn),
    }));
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries((this.document.output ?? {}) as Record<string, Config>)) {
      outputs[name] = this.resolve(output.value);
    }
    return {
      dir: this.dir,
      region: this.region,
      accountId: LOCAL_ACCOUNT_ID,
      apis: this.each("aws_api_gateway_rest_api").map(([key, config]) => this.restApi(key, config)),
      functions,
      permissions,
      outputs,
    };
  }

  private each(type: string): [string, Config][] {
    return Object.entries(this.resources[type] ?? {});
  }

  private restApi(key: string, config: Config): RestApi {
    const id = this.attribute("aws_api_gateway_rest_api", key, "id") as string;
    const belongs = (c: Config) => this.resolve(c.rest_api_id) === id;
    const rootId = this.attribute("aws_api_gateway_rest_api", key, "root_resource_id") as string;
    const resources: ApiResource[] = [{ id: rootId, path: "/", methods: [] }];
    for (const [name, resource] of this.each("aws_api_gateway_resource")) {
      if (belongs(resource)) resources.push({ id: this.ref("aws_api_gateway_resource", name), path: this.resourcePath(name), methods: [] });
    }
    const byId = new Map(resources.map((r) => [r.id, r]));
    const methods: Method[] = [];
    for (const [name, method] of this.each("aws_api_gateway_method")) {
      const resource = byId.get(this.text(method.resource_id));
      if (!belongs(method) || !resource) continue;
      const entry: Method = {
        key: name,
        httpMethod: this.text(method.http_method).toUpperCase(),
        resourcePath: resource.path,
        authorization: this.text(method.authorization ?? "NONE"),
        responses: new Map(),
      };
      resource.methods.push(entry);
      methods.push(entry);
    }
    const methodOf = (c: Config) =>
      byId.get(this.text(c.resource_id))?.methods.find((m) => m.httpMethod === this.text(c.http_method).toUpperCase());
    for (const [, response] of this.each("aws_api_gateway_method_response")) {
      const method = belongs(response) ? methodOf(response) : undefined;
      const statusCode = this.text(response.status_code);
      method?.responses.set(statusCode, { statusCode, responseParameters: this.booleanMap(response.response_parameters) });
    }
    for (const [name, integration] of this.each("aws_api_gateway_integration")) {
      const method = belongs(integration) ? methodOf(integration) : undefined;
      if (!method) continue;
      method.integration = {
        key: name,
        type: this.text(integration.type).toUpperCase(),
        uri: this.text(integration.uri ?? ""),
        credentials: integration.credentials === undefined ? undefined : this.text(integration.credentials),
        httpMethod: this.text(integration.integration_http_method ?? "").toUpperCase(),
        passthroughBehavior: this.text(integration.passthrough_behavior ?? "WHEN_NO_MATCH").toUpperCase(),
        requestParameters: this.stringMap(integration.request_parameters),
        requestTemplates: this.stringMap(integration.request_templates),
        timeoutMs: Number(this.resolve(integration.timeout_milliseconds) ?? DEFAULT_INTEGRATION_TIMEOUT_MS),
        responses: [],
      };
    }
    for (const [name, response] of this.each("aws_api_gateway_integration_response")) {
      const integration = belongs(response) ? methodOf(response)?.integration : undefined;
      integration?.responses.push({
        key: name,
        statusCode: this.text(response.status_code),
        selectionPattern: this.text(response.selection_pattern ?? ""),
        responseTemplates: this.stringMap(response.response_templates),
        responseParameters: this.stringMap(response.response_parameters),
      });
    }
    return {
      key,
      id,
      name: this.text(config.name ?? key),
      executionArn: this.attribute("aws_api_gateway_rest_api", key, "execution_arn") as string,
      binaryMediaTypes: ((this.resolve(config.binary_media_types) ?? []) as string[]).map(String),
      stages: this.stages(id),
      resources,
    };
  }

  private stages(apiId: string): Stage[] {
    const stages: Stage[] = [];
    for (const [, stage] of this.each("aws_api_gateway_stage")) {
      if (this.resolve(stage.rest_api_id) === apiId) {
        stages.push({ name: this.text(stage.stage_name), deploymentId: this.text(stage.deployment_id), variables: this.stringMap(stage.variables) });
      }
    }
    // A deployment can create its stage itself (the older, deprecated way).
    for (const [key, deployment] of this.each("aws_api_gateway_deployment")) {
      const name = deployment.stage_name === undefined ? "" : this.text(deployment.stage_name);
      if (name && this.resolve(deployment.rest_api_id) === apiId && !stages.some((s) => s.name === name)) {
        stages.push({ name, deploymentId: this.text(this.attribute("aws_api_gateway_deployment", key, "id")), variables: this.stringMap(deployment.variables) });
      }
    }
    return stages;
  }

  private resourcePath(name: string): string {
    const config = this.resources.aws_api_gateway_resource[name];
    const parentId = this.text(config.parent_id);
    const parent = Object.keys(this.resources.aws_api_gateway_resource).find(
      (other) => this.ref("aws_api_gateway_resource", other) === parentId,
    );
    const prefix = parent === undefined ? "" : this.resourcePath(parent);
    return `${prefix}/${this.text(config.path_part)}`;
  }

  private lambdaFunction(key: string, config: Config): LambdaFunction {
    const environment = this.block(config.environment);
    return {
      key,
      name: this.text(config.function_name),
      arn: this.attribute("aws_lambda_function", key, "arn") as string,
      zip: resolve(this.dir, this.text(config.filename ?? "")),
      handler: this.text(config.handler ?? "index.handler"),
      runtime: this.text(config.runtime ?? ""),
      timeoutSeconds: Number(this.resolve(config.timeout) ?? DEFAULT_LAMBDA_TIMEOUT_S),
      memoryMb: Number(this.resolve(config.memory_size) ?? DEFAULT_LAMBDA_MEMORY_MB),
      environment: this.stringMap(environment?.variables),
    };
  }

  /** Terraform JSON writes a nested block as an object or as a list of one object. */
  private block(value: unknown): Config | undefined {
    const resolved = this.resolve(value);
    return (Array.isArray(resolved) ? resolved[0] : resolved) as Config | undefined;
  }

  private text(value: unknown): string {
    const resolved = this.resolve(value);
    return resolved === undefined || resolved === null ? "" : String(resolved);
  }

  private stringMap(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((this.resolve(value) ?? {}) as Config)) out[k] = String(v);
    return out;
  }

  private booleanMap(value: unknown): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const [k, v] of Object.entries((this.resolve(value) ?? {}) as Config)) out[k] = v === true || v === "true";
    return out;
  }

  /** The id of a resource: unique and readable in logs. */
  private ref(type: string, name: string): string {
    return `${type}.${name}`;
  }

  /** Replaces every `${...}` reference it understands; a lone reference keeps the value's type. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value !== null && typeof value === "object") {
      const out: Config = {};
      for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = this.resolve(v);
      return out;
    }
    if (typeof value !== "string" || !value.includes("{")) return value;
    const lone = /^\$\{([^{}]+)\}$/.exec(value);
    if (lone) {
      const resolved = this.expression(lone[1]);
      return resolved === undefined ? value : resolved;
    }
    // "$${" and "%%{" are Terraform's escapes for a literal "${" and "%{".
    return value.replace(/\$\$\{|%%\{|\$\{([^{}]+)\}/g, (whole, inner: string | undefined) => {
      if (inner === undefined) return whole.slice(1);
      const resolved = this.expression(inner);
      return resolved === undefined ? whole : typeof resolved === "string" ? resolved : JSON.stringify(resolved);
    });
  }

  private expression(text: string): unknown {
    const match = /^\s*(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\s*$/.exec(text);
    if (!match) return undefined;
    const [, data, type, name, attr] = match;
    if (this.depth > 50) throw new Error(`Terraform reference ${text} refers to itself.`);
    this.depth++;
    try {
      return data ? this.dataAttribute(type, name, attr) : this.attribute(type, name, attr);
    } finally {
      this.depth--;
    }
  }

  private dataAttribute(type: string, name: string, attr: string): unknown {
    if (type === "aws_caller_identity" && attr === "account_id") return LOCAL_ACCOUNT_ID;
    if (type === "aws_region" && (attr === "name" || attr === "region")) return this.region;
    if (type === "aws_partition" && attr === "partition") return "aws";
    const config = this.data[type]?.[name];
    return config && attr in config ? this.resolve(config[attr]) : undefined;
  }

  private attribute(type: string, name: string, attr: string): unknown {
    const config = this.resources[type]?.[name];
    if (!config) return undefined;
    const region = this.region;
    if (type === "aws_api_gateway_deployment" && attr === "id") return madeUpId(name, 6);
    if (type === "aws_api_gateway_rest_api") {
      const id = madeUpId(name, 10);
      if (attr === "id") return id;
      if (attr === "root_resource_id") return `${type}.${name}.root`;
      if (attr === "execution_arn") return `arn:aws:execute-api:${region}:${LOCAL_ACCOUNT_ID}:${id}`;
      if (attr === "arn") return `arn:aws:apigateway:${region}::/restapis/${id}`;
    }
    if (type === "aws_lambda_function") {
      const arn = `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${this.text(config.function_name)}`;
      const invoke = (target: string) => `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${target}/invocations`;
      if (attr === "arn") return arn;
      if (attr === "qualified_arn") return `${arn}:$LATEST`;
      if (attr === "invoke_arn") return invoke(arn);
      if (attr === "qualified_invoke_arn") return invoke(`${arn}:$LATEST`);
      if (attr === "version") return "$LATEST";
    }
    if ((type === "aws_api_gateway_stage" || type === "aws_api_gateway_deployment") && (attr === "invoke_url" || attr === "execution_arn")) {
      const apiId = this.text(config.rest_api_id);
      const stage = this.text(config.stage_name ?? "");
      if (attr === "invoke_url") return `https://${apiId}.execute-api.${region}.amazonaws.com/${stage}`;
      return `arn:aws:execute-api:${region}:${LOCAL_ACCOUNT_ID}:${apiId}/${stage}`;
    }
    if (type === "aws_api_gateway_resource" && attr === "path") return this.resourcePath(name);
    if (attr in config) return this.resolve(config[attr]);
    if (attr === "id") return this.ref(type, name);
    if (attr === "arn") return `arn:aws:${type.replace(/^aws_/, "")}:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
    return undefined;
  }
}

/** A lower-case id of API Gateway's shape, the same for the same Terraform name. */
function madeUpId(name: string, length: number): string {
  return createHash("sha256").update(name).digest("hex").replace(/[^a-z]/g, "").slice(0, length).padEnd(length, "a");
}
