// The non-proxy Lambda integration ("AWS"): the payload of the integration request stage
// (integration-request.ts) invokes the function; the integration response stage makes the answer.
import { integrationRequest } from "./integration-request";
import { integrationResponse } from "./integration-response";
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
import type { Integration } from "./stack";

export class AwsIntegration implements IntegrationProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async process(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const { trace } = state;
    const requestId = requestIdOf(state);
    const request = integrationRequest(state, integration);
    if ("status" in request) return request;
    const { payload } = request;
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
    if (!result.ok) state.trace.problems.push(`Lambda error ${result.error.errorType}: ${result.error.errorMessage}`);
    return integrationResponse(state, integration, {
      payload: result.ok ? result.payload : JSON.stringify(result.error),
      // The function's error message is what patterns are matched against; a success matches as "".
      selectionText: result.ok ? "" : result.error.errorMessage,
      headers: {
        "Content-Type": "application/json",
        "X-Amz-Executed-Version": "$LATEST",
        ...(result.ok ? {} : { "X-Amz-Function-Error": "Unhandled" }),
      },
    });
  }
}

