// API Gateway's integration request stage, for every non-proxy integration: the request template
// chosen by media type and rendered, or the body passed through, or 415.
import { headerValue } from "./headers";
import { gatewayError, INTERNAL_ERROR, requestIdOf, templateInput, type GatewayResponse, type RequestState } from "./pipeline";
import type { Integration } from "./stack";
import { JsonBodyError, renderTemplate, type Overrides } from "./vtl";

/** The integration request body and the $context overrides its template set; or API Gateway's error answer. */
export function integrationRequest(state: RequestState, integration: Integration): { payload: string; overrides?: Overrides } | GatewayResponse {
  const { request, trace } = state;
  const requestId = requestIdOf(state);
  const contentType = headerValue(state.headers, "content-type");
  const mediaType = contentType ? contentType.split(";")[0].trim().toLowerCase() : "application/json";
  const templateKeys = Object.keys(integration.requestTemplates);
  const templateKey = templateKeys.find((key) => key.toLowerCase() === mediaType);
  const behavior = integration.passthroughBehavior;
  const bodyText = request.body.toString("utf8");
  if (templateKey !== undefined) {
    trace.requestTemplate = templateKey;
    try {
      const rendered = renderTemplate(integration.requestTemplates[templateKey], templateInput(state, bodyText));
      return { payload: rendered.output, overrides: rendered.overrides };
    } catch (error) {
      if (error instanceof JsonBodyError) return gatewayError(400, { message: error.answer }, requestId, trace);
      trace.problems.push(`Execution failed due to configuration error: Unable to transform request (${(error as Error).message})`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
  }
  if (behavior === "WHEN_NO_MATCH" || (behavior === "WHEN_NO_TEMPLATES" && templateKeys.length === 0)) {
    trace.requestTemplate = `passthrough (${behavior})`;
    return { payload: bodyText };
  }
  trace.requestTemplate = `none for ${mediaType} (${behavior})`;
  return gatewayError(415, { message: "Unsupported Media Type" }, requestId, trace);
}
