// The contract between API Gateway and every function: the request mapping template
// (infra/templates/request.vtl) renders this JSON, and the integration response template
// (infra/templates/response.vtl) turns a WebhookResult back into an HTTP response.
import type { RuntimeStatus } from "../contract";

/** What the REST API's request mapping template hands the function. */
export interface GatewayEvent {
  /** $context.httpMethod: GET or POST. */
  method: string;
  /** $context.stage, e.g. "dev". */
  stage: string;
  /** $context.domainName: the execute-api host or a custom domain. */
  domainName: string;
  /** $context.path: the full request path as the client sent it, stage included ("/dev/voice/hello"). */
  path: string;
  /** $context.resourcePath: the API resource without the stage ("/voice/hello"). */
  resourcePath: string;
  /** $context.requestId. */
  requestId: string;
  /** Client address, $context.identity.sourceIp. */
  sourceIp: string;
  /** Request headers as API Gateway passes them (Host and X-Forwarded-* included). */
  headers: Record<string, string>;
  /** Query-string parameters, already percent-decoded, in the order received. */
  query: Record<string, string>;
  /** The stage's variables (e.g. the voice to speak with). */
  stageVariables: Record<string, string>;
  /** The raw request body, base64 of its bytes ("" when there is none). */
  body: string;
}

/** What every function returns; the integration response maps it onto the HTTP response. */
export interface WebhookResult {
  statusCode: RuntimeStatus;
  contentType: string;
  body: string;
}
