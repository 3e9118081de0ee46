// The Lambda proxy integration ("AWS_PROXY", payload format 1.0): the whole request in as one
// event, {statusCode, headers, multiValueHeaders, body, isBase64Encoded} out.
import { headerValue } from "./headers";
import {
  gatewayError,
  INTERNAL_ERROR,
  invokeWithin,
  methodResponse,
  requestIdOf,
  type GatewayResponse,
  type IntegrationProcessor,
  type ProcessorDeps,
  type RequestState,
} from "./pipeline";
import { parseQueryPairs } from "./routing";
import type { Integration } from "./stack";

export class AwsProxyIntegration implements IntegrationProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async process(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const { request, matched, trace, headers, query } = state;
    const requestId = requestIdOf(state);
    trace.requestTemplate = "AWS_PROXY 1.0";
    const contentType = (headerValue(headers, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    const binary = contentType !== "" && this.deps.binaryMediaTypes.some((t) => mediaTypeMatches(t, contentType));
    const multi = (pairs: [string, string][]) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of pairs) (out[k] ??= []).push(v);
      return out;
    };
    const headerPairs = Object.entries(headers);
    const queryPairs = parseQueryPairs(matched.rawQuery);
    const { path: fullPath, stage, ...requestContext } = state.context;
    const event = {
      resource: matched.resource.path,
      path: matched.pathAfterStage,
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
    const fn = this.deps.permittedFunction(state, integration);
    if (!fn) return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    const result = await invokeWithin(this.deps.runner, fn, JSON.stringify(event), integration.timeoutMs);
    if (result === "timeout") return gatewayError(504, { message: "Endpoint request timed out" }, requestId, trace);
    if (!result.ok) {
      trace.problems.push(`Lambda error ${result.error.errorType}: ${result.error.errorMessage}`);
      return gatewayError(502, INTERNAL_ERROR, requestId, trace);
    }
    const answer = proxyAnswer(JSON.parse(result.payload), this.deps.binaryMediaTypes, headerValue(headers, "accept"));
    if (!answer) {
      trace.problems.push("Execution failed due to configuration error: Malformed Lambda proxy response");
      return gatewayError(502, INTERNAL_ERROR, requestId, trace);
    }
    trace.integrationResponse = `${answer.status} (proxy)`;
    return methodResponse(state, answer.status, answer.headers, answer.body);
  }
}

const PROXY_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);

/**
 * The function's answer as API Gateway reads a payload 1.0 proxy response, or undefined when it
 * answers 502 "Malformed Lambda proxy response". Recorded (tests/conformance/aws-proxy-response.json):
 * an unknown key, {} and a multiValueHeaders value that is not a list are malformed; a missing
 * statusCode is 200 and "201" is 201; headers add to multiValueHeaders, joined by ", "; a base64 body
 * stays base64 text unless the API has a binary media type the client accepts.
 */
function proxyAnswer(answer: unknown, binaryMediaTypes: string[], accept: string | undefined) {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return undefined;
  const fields = answer as Record<string, unknown>;
  const keys = Object.keys(fields);
  if (keys.length === 0 || keys.some((key) => !PROXY_KEYS.has(key))) return undefined;
  const status = fields.statusCode === undefined || fields.statusCode === null ? 200 : Number(fields.statusCode);
  if (!Number.isInteger(status) || (typeof fields.statusCode !== "number" && typeof fields.statusCode !== "string" && fields.statusCode != null)) return undefined;
  const { body, headers, multiValueHeaders } = fields;
  if (body !== undefined && body !== null && typeof body !== "string") return undefined;
  if (!isMap(headers) || !isMap(multiValueHeaders)) return undefined;
  const values: Record<string, string[]> = {};
  const add = (name: string, value: unknown) => {
    const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    (values[key] ??= []).push(String(value));
  };
  for (const [name, list] of Object.entries(multiValueHeaders ?? {})) {
    if (!Array.isArray(list)) return undefined;
    for (const value of list) add(name, value);
  }
  for (const [name, value] of Object.entries(headers ?? {})) add(name, value);
  const out: Record<string, string> = {};
  for (const [name, list] of Object.entries(values)) out[name] = list.join(", ");
  if (headerValue(out, "content-type") === undefined) out["Content-Type"] = "application/json";
  const text = (body as string | null | undefined) ?? "";
  const wanted = (accept ?? "").split(",").map((t) => t.split(";")[0].trim().toLowerCase()).filter(Boolean);
  const binary = fields.isBase64Encoded === true && wanted.some((type) => binaryMediaTypes.some((pattern) => mediaTypeMatches(pattern, type)));
  return { status, headers: out, body: binary ? Buffer.from(text, "base64") : Buffer.from(text, "utf8") };
}

function isMap(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "object" && !Array.isArray(value));
}

function mediaTypeMatches(pattern: string, type: string): boolean {
  const [pm, ps] = pattern.toLowerCase().split("/");
  const [tm, ts] = type.split("/");
  return (pm === "*" || pm === tm) && (ps === "*" || ps === ts);
}
