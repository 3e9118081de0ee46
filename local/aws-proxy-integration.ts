// The Lambda proxy integration ("AWS_PROXY", payload format 1.0): the whole request in as one
// event, {statusCode, headers, multiValueHeaders, body, isBase64Encoded} out.
import { headerValue, setHeader } from "./headers";
import {
  gatewayError,
  INTERNAL_ERROR,
  invokeWithin,
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
    const fn = this.deps.permittedFunction(state, integration);
    if (!fn) return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    const result = await invokeWithin(this.deps.runner, fn, JSON.stringify(event), integration.timeoutMs);
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
}

function mediaTypeMatches(pattern: string, type: string): boolean {
  const [pm, ps] = pattern.toLowerCase().split("/");
  const [tm, ts] = type.split("/");
  return (pm === "*" || pm === tm) && (ps === "*" || ps === ts);
}
