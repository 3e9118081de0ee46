// The MOCK integration: no backend. The request template's JSON names the status ({"statusCode": 200}),
// which the integration responses' patterns are matched against; the response template reads an empty
// body, and the $context overrides the request template set carry over (recorded:
// tests/conformance/mock.json).
import { integrationRequest } from "./integration-request";
import { integrationResponse } from "./integration-response";
import { gatewayError, INTERNAL_ERROR, requestIdOf, type GatewayResponse, type IntegrationProcessor, type RequestState } from "./pipeline";
import type { Integration } from "./stack";

export class MockIntegration implements IntegrationProcessor {
  async process(state: RequestState, integration: Integration): Promise<GatewayResponse> {
    const request = integrationRequest(state, integration);
    if ("status" in request) return request;
    const statusCode = mockStatus(request.payload);
    if (statusCode === undefined) {
      state.trace.problems.push(`Execution failed due to configuration error: the MOCK request template gave no statusCode (${request.payload.trim().slice(0, 80)})`);
      return gatewayError(500, INTERNAL_ERROR, requestIdOf(state), state.trace);
    }
    return integrationResponse(state, integration, { payload: "", selectionText: statusCode, headers: {}, carried: request.overrides, withoutTraceId: true });
  }
}

/** The statusCode of the template's output: JSON, or the looser {statusCode: 200} the console writes. */
function mockStatus(payload: string): string | undefined {
  try {
    const value = (JSON.parse(payload) as { statusCode?: unknown } | null)?.statusCode;
    if (typeof value === "number" || typeof value === "string") return String(value);
  } catch {
    // Not JSON: read it the loose way below.
  }
  return /["']?statusCode["']?\s*:\s*["']?(\d{3})/.exec(payload)?.[1];
}
