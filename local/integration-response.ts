// API Gateway's integration response stage, for every non-proxy integration: the response selected by
// pattern, its template and parameters, $context.responseOverride, then the method response.
import { headerValue, setHeader } from "./headers";
import { javaMatches } from "./java";
import { evaluateJsonPath } from "./jsonpath";
import { gatewayError, INTERNAL_ERROR, methodResponse, requestIdOf, templateInput, type GatewayResponse, type RequestState } from "./pipeline";
import type { Integration, IntegrationResponse } from "./stack";
import { readOverride, renderTemplate, type Overrides, type ResponseOverride } from "./vtl";

/** What an integration answered, as the integration response stage reads it. */
export interface IntegrationOutcome {
  /** The body the response template reads as $input. */
  payload: string;
  /** What selection patterns are matched against. */
  selectionText: string;
  /** The integration's response headers (integration.response.header.X). */
  headers: Record<string, string>;
  /** $context overrides the request template left (MOCK). */
  carried?: Overrides;
  /** Whether the method response carries X-Amzn-Trace-Id (not recorded for MOCK). */
  withoutTraceId?: boolean;
}

/** Selects the integration response, renders its template and parameters: the method response. */
export function integrationResponse(state: RequestState, integration: Integration, outcome: IntegrationOutcome): GatewayResponse {
  const { trace, matched } = state;
  const requestId = requestIdOf(state);
  const { payload, selectionText } = outcome;
  let chosen: IntegrationResponse | undefined;
  try {
    chosen = integration.responses.find((r) => r.selectionPattern !== "" && javaMatches(selectionText, r.selectionPattern));
  } catch (error) {
    trace.problems.push(`Execution failed due to configuration error: invalid selection pattern (${(error as Error).message})`);
    return gatewayError(500, INTERNAL_ERROR, requestId, trace);
  }
  chosen ??= integration.responses.find((r) => r.selectionPattern === "");
  if (!chosen) {
    trace.problems.push("Execution failed due to configuration error: No match for output mapping and no default output mapping configured");
    return gatewayError(500, INTERNAL_ERROR, requestId, trace);
  }
  trace.integrationResponse = chosen.selectionPattern === "" ? `${chosen.statusCode} (default)` : `${chosen.statusCode} /${chosen.selectionPattern}/`;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  let body = payload;
  let override: ResponseOverride = outcome.carried ? readOverride(outcome.carried.responseOverride) : { headers: {} };
  const templateKeys = Object.keys(chosen.responseTemplates);
  if (templateKeys.length > 0) {
    const templateKey = chooseByAccept(templateKeys, headerValue(state.headers, "accept"));
    trace.responseTemplate = templateKey;
    headers["Content-Type"] = templateKey;
    try {
      const rendered = renderTemplate(chosen.responseTemplates[templateKey], templateInput(state, payload), outcome.carried);
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
  const integrationHeaders = outcome.headers;
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
  const response = methodResponse(state, override.status ?? Number(chosen.statusCode), headers, Buffer.from(body, "utf8"));
  if (outcome.withoutTraceId) delete response.headers["X-Amzn-Trace-Id"];
  return response;
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
