// One REST API of a stack, request by request, as API Gateway runs it: routing, method request,
// integration request (mapping template or passthrough), Lambda permission and invocation,
// integration response selection and mapping, method response. AWS_PROXY (payload 1.0) too.
import { randomFillSync, randomUUID } from "node:crypto";
import { javaMatches } from "./java";
import { evaluateJsonPath } from "./jsonpath";
import type { InvokeResult, LambdaRunner } from "./lambda";
import type { ApiResource, Integration, IntegrationResponse, LambdaFunction, Method, RestApi, Stack, Stage } from "./stack";
import { JsonBodyError, renderTemplate, type TemplateParams } from "./vtl";

export interface GatewayRequest {
  method: string;
  /** The request target as received: path and query string. */
  url: string;
  /** Header names and values in the order received (Node's rawHeaders). */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  /** The emulator's own port: X-Forwarded-Port when the client sent none. */
  localPort: number;
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  trace: Trace;
}

/** What the request went through, for the emulator's log. */
export interface Trace {
  route?: string;
  requestTemplate?: string;
  integrationResponse?: string;
  responseTemplate?: string;
  /** Why a request failed on a misconfiguration, in API Gateway's words where it has some. */
  problems: string[];
}

export interface Route {
  stage: string;
  method: string;
  /** Resource path, "/voice/hello". */
  path: string;
}

export interface GatewayOptions {
  stack: Stack;
  runner: LambdaRunner;
  /** Terraform name or API name; needed only when the stack holds several REST APIs. */
  api?: string;
}

interface Matched {
  stage: Stage;
  resource: ApiResource;
  method: Method;
  pathParams: Record<string, string>;
}

interface RequestState {
  request: GatewayRequest;
  matched: Matched;
  headers: Record<string, string>;
  query: Record<string, string>;
  context: Record<string, unknown>;
  trace: Trace;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const INTERNAL_ERROR = { message: "Internal server error" };

/** Whether API Gateway may invoke a method's function: the function, or why not. */
type Permission = { fn: LambdaFunction } | { problem: string };

export class Gateway {
  readonly api: RestApi;
  private readonly permissions = new Map<string, Permission>();

  constructor(private readonly options: GatewayOptions) {
    this.api = selectApi(options.stack, options.api);
  }

  routes(): Route[] {
    return this.api.stages.flatMap((stage) =>
      this.api.resources.flatMap((resource) =>
        resource.methods.map((method) => ({ stage: stage.name, method: method.httpMethod, path: resource.path })),
      ),
    );
  }

  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const trace: Trace = { problems: [] };
    const requestId = randomUUID();
    const queryStart = request.url.indexOf("?");
    const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? "" : request.url.slice(queryStart + 1);
    const segments = rawPath.split("/").filter((s, i, all) => i > 0 && !(s === "" && i === all.length - 1));
    const stage = this.api.stages.find((s) => s.name === decodeSegment(segments[0] ?? ""));
    if (!stage) return gatewayError(403, { message: "Missing Authentication Token" }, requestId, trace);
    const found = matchResource(this.api.resources, segments.slice(1).map(decodeSegment));
    const method = found && (found.resource.methods.find((m) => m.httpMethod === request.method) ?? found.resource.methods.find((m) => m.httpMethod === "ANY"));
    if (!found || !method) return gatewayError(403, { message: "Missing Authentication Token" }, requestId, trace);
    trace.route = `${method.httpMethod} ${found.resource.path}`;
    const headers = forwardedHeaders(request);
    const now = new Date();
    const host = headerValue(headers, "host") ?? "";
    const domainName = host.replace(/:\d+$/, "");
    const state: RequestState = {
      request,
      matched: { stage, resource: found.resource, method, pathParams: found.params },
      headers,
      query: parseQuery(rawQuery),
      trace,
      context: {
        accountId: this.options.stack.accountId,
        apiId: this.api.id,
        domainName,
        domainPrefix: domainName.split(".")[0],
        extendedRequestId: randomPooled(6).toString("base64url"),
        httpMethod: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        requestId,
        requestTime: formatRequestTime(now),
        requestTimeEpoch: now.getTime(),
        resourceId: found.resource.id,
        resourcePath: found.resource.path,
        stage: stage.name,
        identity: {
          sourceIp: request.sourceIp,
          userAgent: headerValue(headers, "user-agent") ?? "",
          accountId: "",
          apiKey: "",
          caller: "",
          user: "",
          userArn: "",
        },
      },
    };
    if (method.authorization !== "NONE") trace.problems.push(`authorization ${method.authorization} is not emulated: the request was let through`);
    const integration = method.integration;
    if (!integration) {
      trace.problems.push(`Execution failed due to configuration error: ${trace.route} has no integration`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    try {
      if (integration.type === "AWS_PROXY") return await this.proxy(state, integration);
      if (integration.type === "AWS") return await this.custom(state, integration);
      trace.problems.push(`integration type ${integration.type} is not emulated (only AWS and AWS_PROXY to Lambda)`);
    } catch (error) {
      trace.problems.push(`Execution failed: ${(error as Error).message}`);
    }
    return gatewayError(500, INTERNAL_ERROR, requestId, trace);
  }

  /** Non-proxy ("AWS") Lambda integration: mapping templates both ways. */
  private async custom(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const { request, trace } = state;
    const requestId = state.context.requestId as string;
    const contentType = headerValue(state.headers, "content-type");
    const mediaType = contentType ? contentType.split(";")[0].trim().toLowerCase() : "application/json";
    const templateKeys = Object.keys(integration.requestTemplates);
    const templateKey = templateKeys.find((key) => key.toLowerCase() === mediaType);
    const behavior = integration.passthroughBehavior;
    const bodyText = request.body.toString("utf8");
    let payload: string;
    if (templateKey !== undefined) {
      trace.requestTemplate = templateKey;
      try {
        payload = renderTemplate(integration.requestTemplates[templateKey], this.templateInput(state, bodyText)).output;
      } catch (error) {
        if (error instanceof JsonBodyError) return gatewayError(400, { message: error.message }, requestId, trace);
        trace.problems.push(`Execution failed due to configuration error: Unable to transform request (${(error as Error).message})`);
        return gatewayError(500, INTERNAL_ERROR, requestId, trace);
      }
    } else if (behavior === "WHEN_NO_MATCH" || (behavior === "WHEN_NO_TEMPLATES" && templateKeys.length === 0)) {
      trace.requestTemplate = `passthrough (${behavior})`;
      payload = bodyText;
    } else {
      trace.requestTemplate = `none for ${mediaType} (${behavior})`;
      return gatewayError(415, { message: "Unsupported Media Type" }, requestId, trace);
    }
    // Lambda takes the payload as JSON text, and refuses text that is not JSON.
    const event = payload.trim() === "" ? "{}" : payload;
    try {
      JSON.parse(event);
    } catch (error) {
      trace.problems.push(`Execution failed: Lambda refuses a payload that is not JSON (${(error as Error).message}); check the request template`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    const fn = this.permittedFunction(state, integration);
    if (!fn) return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    const result = await invokeWithin(this.options.runner, fn, event, integration.timeoutMs);
    if (result === "timeout") return gatewayError(504, { message: "Endpoint request timed out" }, requestId, trace);
    return this.integrationResponse(state, integration, result);
  }

  private integrationResponse(state: RequestState, integration: Integration, result: InvokeResult): GatewayResponse {
    const { trace, matched } = state;
    const requestId = state.context.requestId as string;
    const payload = result.ok ? result.payload : JSON.stringify(result.error);
    // The function's error message is what patterns are matched against; a success matches as "".
    const selectionText = result.ok ? "" : result.error.errorMessage;
    let chosen: IntegrationResponse | undefined;
    try {
      chosen = integration.responses.find((r) => r.selectionPattern !== "" && javaMatches(selectionText, r.selectionPattern));
    } catch (error) {
      trace.problems.push(`Execution failed due to configuration error: invalid selection pattern (${(error as Error).message})`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    chosen ??= integration.responses.find((r) => r.selectionPattern === "");
    if (!result.ok) trace.problems.push(`Lambda error ${result.error.errorType}: ${result.error.errorMessage}`);
    if (!chosen) {
      trace.problems.push("Execution failed due to configuration error: No match for output mapping and no default output mapping configured");
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    trace.integrationResponse = chosen.selectionPattern === "" ? `${chosen.statusCode} (default)` : `${chosen.statusCode} /${chosen.selectionPattern}/`;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    let body = payload;
    let override: { status?: number; headers: Record<string, string> } = { headers: {} };
    const templateKeys = Object.keys(chosen.responseTemplates);
    if (templateKeys.length > 0) {
      const templateKey = chooseByAccept(templateKeys, headerValue(state.headers, "accept"));
      trace.responseTemplate = templateKey;
      headers["Content-Type"] = templateKey;
      try {
        const rendered = renderTemplate(chosen.responseTemplates[templateKey], this.templateInput(state, payload));
        body = rendered.output;
        override = rendered.responseOverride;
      } catch (error) {
        trace.problems.push(`Execution failed due to configuration error: Unable to transform response (${(error as Error).message})`);
        return gatewayError(500, INTERNAL_ERROR, requestId, trace);
      }
    } else {
      trace.responseTemplate = "passthrough";
    }
    const declared = matched.method.responses.get(chosen.statusCode)?.responseParameters ?? {};
    const integrationHeaders: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Amz-Executed-Version": "$LATEST",
      ...(result.ok ? {} : { "X-Amz-Function-Error": "Unhandled" }),
    };
    for (const [target, source] of Object.entries(chosen.responseParameters)) {
      const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
      if (!name || !(target in declared)) {
        trace.problems.push(`Invalid mapping expression specified: ${target} is not declared by the method response ${chosen.statusCode} (AWS refuses to deploy this)`);
        return gatewayError(500, INTERNAL_ERROR, requestId, trace);
      }
      const value = responseParameterValue(source, payload, integrationHeaders, state);
      if (value !== undefined) setHeader(headers, name, value);
    }
    for (const [name, value] of Object.entries(override.headers)) setHeader(headers, name, value);
    const status = override.status ?? Number(chosen.statusCode);
    if (!matched.method.responses.has(String(status))) {
      trace.problems.push(`Execution failed due to configuration error: Output mapping refers to an invalid method response: ${status}`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    return { status, headers: { ...headers, "x-amzn-RequestId": requestId }, body: Buffer.from(body, "utf8"), trace };
  }

  /** AWS_PROXY with payload format 1.0: the whole request in, {statusCode, headers, body} out. */
  private async proxy(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const { request, matched, trace, headers, query } = state;
    const requestId = state.context.requestId as string;
    trace.requestTemplate = "AWS_PROXY 1.0";
    const contentType = (headerValue(headers, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    const binary = contentType !== "" && this.api.binaryMediaTypes.some((t) => mediaTypeMatches(t, contentType));
    const multi = (pairs: [string, string][]) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of pairs) (out[k] ??= []).push(v);
      return out;
    };
    const headerPairs = Object.entries(headers);
    const queryPairs = parseQueryPairs(request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "");
    const { path: fullPath, stage, ...requestContext } = state.context;
    const event = {
      resource: matched.resource.path,
      path: "/" + (fullPath as string).split("/").slice(2).join("/"),
      httpMethod: request.method,
      headers: headerPairs.length ? headers : null,
      multiValueHeaders: headerPairs.length ? multi(headerPairs) : null,
      queryStringParameters: queryPairs.length ? query : null,
      multiValueQueryStringParameters: queryPairs.length ? multi(queryPairs) : null,
      pathParameters: Object.keys(matched.pathParams).length ? matched.pathParams : null,
      stageVariables: Object.keys(matched.stage.variables).length ? matched.stage.variables : null,
      requestContext: { ...requestContext, path: fullPath, stage },
      body: request.body.length === 0 ? null : binary ? request.body.toString("base64") : request.body.toString("utf8"),
      isBase64Encoded: binary,
    };
    const fn = this.permittedFunction(state, integration);
    if (!fn) return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    const result = await invokeWithin(this.options.runner, fn, JSON.stringify(event), integration.timeoutMs);
    if (result === "timeout") return gatewayError(504, { message: "Endpoint request timed out" }, requestId, trace);
    if (!result.ok) {
      trace.problems.push(`Lambda error ${result.error.errorType}: ${result.error.errorMessage}`);
      return gatewayError(502, INTERNAL_ERROR, requestId, trace);
    }
    const answer = JSON.parse(result.payload) as Record<string, unknown> | null;
    const statusCode = Number(answer?.statusCode);
    const valid =
      answer !== null &&
      typeof answer === "object" &&
      Number.isInteger(statusCode) &&
      (answer.body === undefined || answer.body === null || typeof answer.body === "string") &&
      (answer.headers === undefined || answer.headers === null || typeof answer.headers === "object");
    if (!valid) {
      trace.problems.push("Execution failed due to configuration error: Malformed Lambda proxy response");
      return gatewayError(502, INTERNAL_ERROR, requestId, trace);
    }
    const out: Record<string, string> = {};
    for (const [name, values] of Object.entries((answer.multiValueHeaders ?? {}) as Record<string, unknown[]>)) {
      setHeader(out, name, values.map(String).join(","));
    }
    for (const [name, value] of Object.entries((answer.headers ?? {}) as Record<string, unknown>)) setHeader(out, name, String(value));
    if (headerValue(out, "content-type") === undefined) out["Content-Type"] = "application/json";
    const text = (answer.body as string | null | undefined) ?? "";
    trace.integrationResponse = `${statusCode} (proxy)`;
    return {
      status: statusCode,
      headers: { ...out, "x-amzn-RequestId": requestId },
      body: answer.isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
      trace,
    };
  }

  private templateInput(state: RequestState, body: string) {
    const params: TemplateParams = { path: state.matched.pathParams, querystring: state.query, header: state.headers };
    return { body, params, context: state.context, stageVariables: state.matched.stage.variables };
  }

  /** The integration's function, if a Lambda permission lets API Gateway invoke it for this method. */
  private permittedFunction(state: RequestState, integration: Integration): LambdaFunction | undefined {
    const { stage, resource } = state.matched;
    // The stack does not change under a Gateway (a reload makes a new one), so neither does the answer.
    const key = `${stage.name} ${state.request.method} ${resource.id}`;
    let permission = this.permissions.get(key);
    if (!permission) {
      permission = this.findPermittedFunction(stage, state.request.method, resource, integration);
      this.permissions.set(key, permission);
    }
    if ("fn" in permission) return permission.fn;
    state.trace.problems.push(permission.problem);
    return undefined;
  }

  private findPermittedFunction(stage: Stage, httpMethod: string, resource: ApiResource, integration: Integration): Permission {
    const uri = integration.uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stage.variables[name] ?? "");
    const target = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
    const fn = target && this.options.stack.functions.find((f) => sameFunction(target, f));
    if (!fn) return { problem: `Execution failed due to configuration error: integration URI ${uri} names no Lambda function of this stack` };
    // With credentials, API Gateway invokes through that role and needs no resource policy.
    if (integration.credentials) return { fn };
    const methodArn = `${this.api.executionArn}/${stage.name}/${httpMethod}${resource.path}`;
    const permitted = this.options.stack.permissions.some(
      (p) =>
        p.principal === "apigateway.amazonaws.com" &&
        (p.action === "lambda:InvokeFunction" || p.action === "lambda:*") &&
        sameFunction(p.functionName, fn) &&
        (p.sourceArn === undefined || arnLike(p.sourceArn, methodArn)),
    );
    if (permitted) return { fn };
    return {
      problem: `Execution failed due to configuration error: Invalid permissions on Lambda function ${fn.name}: no aws_lambda_permission for apigateway.amazonaws.com has a source ARN covering ${methodArn}`,
    };
  }
}

function selectApi(stack: Stack, wanted: string | undefined): RestApi {
  const apis = stack.apis;
  if (apis.length === 0) throw new Error(`The stack in ${stack.dir} has no aws_api_gateway_rest_api to serve.`);
  if (wanted === undefined) {
    if (apis.length === 1) return apis[0];
    throw new Error(`The stack in ${stack.dir} has several REST APIs (${apis.map((a) => a.key).join(", ")}): choose one.`);
  }
  const api = apis.find((a) => a.key === wanted || a.name === wanted);
  if (!api) throw new Error(`The stack in ${stack.dir} has no REST API named ${wanted} (it has ${apis.map((a) => a.key).join(", ")}).`);
  return api;
}

/** The most specific resource for the path: literal parts before {param}, {param} before {proxy+}. */
function matchResource(resources: ApiResource[], segments: string[]): { resource: ApiResource; params: Record<string, string> } | undefined {
  let best: { resource: ApiResource; params: Record<string, string>; score: number[] } | undefined;
  for (const resource of resources) {
    const matched = matchParts(resource.path === "/" ? [] : resource.path.slice(1).split("/"), segments);
    if (matched && (!best || compareScores(matched.score, best.score) > 0)) best = { resource, ...matched };
  }
  return best && { resource: best.resource, params: best.params };
}

function matchParts(parts: string[], segments: string[]): { params: Record<string, string>; score: number[] } | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const greedy = /^\{(.+)\+\}$/.exec(parts[i]);
    const param = /^\{(.+)\}$/.exec(parts[i]);
    if (greedy) {
      if (segments.length <= i) return undefined;
      params[greedy[1]] = segments.slice(i).join("/");
      return { params, score: [...score, 0] };
    }
    if (segments[i] === undefined) return undefined;
    if (param) {
      if (segments[i] === "") return undefined;
      params[param[1]] = segments[i];
      score.push(1);
    } else {
      if (segments[i] !== parts[i]) return undefined;
      score.push(2);
    }
  }
  return parts.length === segments.length ? { params, score } : undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Query parameters decoded as a form is ("+" is a space); the last of repeated names wins. */
function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of parseQueryPairs(raw)) out[name] = value;
  return out;
}

function parseQueryPairs(raw: string): [string, string][] {
  if (raw === "") return [];
  return raw
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const decode = (s: string) => decodeSegment(s.replace(/\+/g, " "));
      return eq < 0 ? [decode(pair), ""] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

/**
 * Headers as API Gateway hands them on: names as the client wrote them, the last of repeated
 * headers, X-Forwarded-For with the client's address appended, X-Forwarded-Proto and -Port as a
 * proxy in front said, else what this plain-HTTP emulator is ("http", its own port).
 */
function forwardedHeaders(request: GatewayRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) setHeader(headers, request.rawHeaders[i], request.rawHeaders[i + 1]);
  const forwardedFor = headerValue(headers, "x-forwarded-for");
  setHeader(headers, "X-Forwarded-For", forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp);
  if (headerValue(headers, "x-forwarded-proto") === undefined) headers["X-Forwarded-Proto"] = "http";
  if (headerValue(headers, "x-forwarded-port") === undefined) headers["X-Forwarded-Port"] = String(request.localPort);
  if (headerValue(headers, "x-amzn-trace-id") === undefined) {
    headers["X-Amzn-Trace-Id"] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomPooled(12).toString("hex")}`;
  }
  return headers;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  const key = headerKey(headers, lowerName);
  return key === undefined ? undefined : headers[key];
}

/** Sets a header, replacing one of the same name in any case, keeping the first spelling. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  headers[headerKey(headers, name.toLowerCase()) ?? name] = value;
}

/** The key spelling `lowerName` in any case; lengths first, as most names differ in length. */
function headerKey(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const key in headers) if (key.length === lowerName.length && key.toLowerCase() === lowerName) return key;
  return undefined;
}

/** The response template for the Accept header: its first listed type that has one, else the first template. */
function chooseByAccept(keys: string[], accept: string | undefined): string {
  const wanted = (accept ?? "application/json").split(",").map((t) => t.split(";")[0].trim().toLowerCase());
  for (const type of wanted) {
    const key = keys.find((k) => k.toLowerCase() === type);
    if (key !== undefined) return key;
  }
  return keys[0];
}

function responseParameterValue(
  source: string,
  payload: string,
  integrationHeaders: Record<string, string>,
  state: RequestState,
): string | undefined {
  const quoted = /^'(.*)'$/s.exec(source);
  if (quoted) return quoted[1];
  if (source === "integration.response.body") return payload;
  const bodyPath = /^integration\.response\.body\.(.+)$/.exec(source)?.[1];
  if (bodyPath !== undefined) {
    let value: unknown;
    try {
      value = evaluateJsonPath(JSON.parse(payload), "$." + bodyPath);
    } catch {
      return undefined;
    }
    return value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
  }
  const header = /^integration\.response\.header\.(.+)$/.exec(source)?.[1];
  if (header !== undefined) return headerValue(integrationHeaders, header.toLowerCase());
  const stageVariable = /^stageVariables\.(.+)$/.exec(source)?.[1];
  if (stageVariable !== undefined) return state.matched.stage.variables[stageVariable];
  const contextPath = /^context\.(.+)$/.exec(source)?.[1];
  if (contextPath !== undefined) {
    const value = evaluateJsonPath(state.context, "$." + contextPath);
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

/** The invocation, or "timeout" when the integration's own limit passes first (waiting for an environment included). */
async function invokeWithin(runner: LambdaRunner, fn: LambdaFunction, event: string, timeoutMs: number): Promise<InvokeResult | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((settle) => {
    timer = setTimeout(() => settle("timeout"), timeoutMs);
  });
  try {
    return await Promise.race([runner.invokeJson(fn, event), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Ids are drawn from a pool refilled 4 KB at a time, one call into OpenSSL per few hundred requests.
const randomPool = Buffer.alloc(4096);
let randomPoolAt = randomPool.length;

function randomPooled(size: number): Buffer {
  if (randomPoolAt + size > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolAt = 0;
  }
  randomPoolAt += size;
  return randomPool.subarray(randomPoolAt - size, randomPoolAt);
}

function sameFunction(reference: string, fn: LambdaFunction): boolean {
  // A name, a full ARN, or an ARN qualified by a version or alias.
  const name = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(reference)?.[1] ?? reference;
  return name === fn.name;
}

/** IAM's ArnLike: each of the six colon-separated parts compared with * and ? wildcards. */
export function arnLike(pattern: string, arn: string): boolean {
  const split = (text: string) => {
    const parts = text.split(":");
    return [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const patternParts = split(pattern);
  const arnParts = split(arn);
  return patternParts.every((part, i) => {
    const regex = part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "s").test(arnParts[i] ?? "");
  });
}

function mediaTypeMatches(pattern: string, type: string): boolean {
  const [pm, ps] = pattern.toLowerCase().split("/");
  const [tm, ts] = type.split("/");
  return (pm === "*" || pm === tm) && (ps === "*" || ps === ts);
}

function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** An answer of API Gateway itself (a gateway response): JSON {"message": ...}. */
function gatewayError(status: number, body: { message: string }, requestId: string, trace: Trace): GatewayResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId },
    body: Buffer.from(JSON.stringify(body)),
    trace,
  };
}
