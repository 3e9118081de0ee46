// The non-proxy Lambda integration ("AWS"): request template or passthrough, invocation,
// integration response selected by pattern, response template and parameters, method response.
import { headerValue, setHeader } from "./headers";
import { javaMatches } from "./java";
import { evaluateJsonPath } from "./jsonpath";
import type { InvokeResult } from "./lambda";
import {
  gatewayError,
  INTERNAL_ERROR,
  invokeWithin,
  methodResponse,
  requestIdOf,
  templateInput,
  type GatewayResponse,
  type IntegrationProcessor,
  type ProcessorDeps,
  type RequestState,
} from "./pipeline";
import type { Integration, IntegrationResponse } from "./stack";
import { JsonBodyError, renderTemplate } from "./vtl";

export class AwsIntegration implements IntegrationProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async process(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const { request, trace } = state;
    const requestId = requestIdOf(state);
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
        payload = renderTemplate(integration.requestTemplates[templateKey], templateInput(state, bodyText)).output;
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
    const fn = this.deps.permittedFunction(state, integration);
    if (!fn) return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    const result = await invokeWithin(this.deps.runner, fn, event, integration.timeoutMs);
    if (result === "timeout") return gatewayError(504, { message: "Endpoint request timed out" }, requestId, trace);
    return integrationResponse(state, integration, result);
  }
}

function integrationResponse(state: RequestState, integration: Integration, result: InvokeResult): GatewayResponse {
  const { trace, matched } = state;
  const requestId = requestIdOf(state);
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
      const rendered = renderTemplate(chosen.responseTemplates[templateKey], templateInput(state, payload));
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
  if (!matched.method.responses.has(chosen.statusCode)) {
    trace.problems.push(`Execution failed due to configuration error: Output mapping refers to an invalid method response: ${chosen.statusCode}`);
    return gatewayError(500, INTERNAL_ERROR, requestId, trace);
  }
  // An override may name a status no method response declares: AWS answers with it (recorded:
  // tests/conformance/lambda-integration.json, response-template-202).
  return methodResponse(state, override.status ?? Number(chosen.statusCode), headers, Buffer.from(body, "utf8"));
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

function responseParameterValue(source: string, payload: string, integrationHeaders: Record<string, string>, state: RequestState): string | undefined {
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
