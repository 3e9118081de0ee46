// What the gateway's stages hand each other: the request, the state built from it, the response
// and its trace, and the small interface every integration type's processor implements.
import { headerValue, remapResponseHeaders } from "./headers";
import type { InvokeResult, LambdaRunner } from "./lambda";
import type { Routed } from "./routing";
import type { Integration, LambdaFunction } from "./stack";
import type { TemplateInput } from "./vtl";

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

/** A routed request with what API Gateway derives from it before the integration runs. */
export interface RequestState {
  request: GatewayRequest;
  matched: Routed;
  headers: Record<string, string>;
  query: Record<string, string>;
  context: Record<string, unknown>;
  trace: Trace;
}

/** One integration type (AWS, AWS_PROXY): from the routed request to the method response. */
export interface IntegrationProcessor {
  process(state: RequestState, integration: Integration): Promise<GatewayResponse>;
}

/** What a processor needs from the gateway: a way to call functions and the permission check. */
export interface ProcessorDeps {
  runner: Pick<LambdaRunner, "invokeJson">;
  /** The integration's function if API Gateway may invoke it; else undefined, the reason traced. */
  permittedFunction(state: RequestState, integration: Integration): LambdaFunction | undefined;
  binaryMediaTypes: string[];
}

export const INTERNAL_ERROR = { message: "Internal server error" };

// The x-amzn-ErrorType of API Gateway's own answers, where one was recorded
// (tests/conformance/routing.json, header-remapping.json).
const ERROR_TYPES: Record<number, string> = { 403: "MissingAuthenticationTokenException", 500: "InternalServerErrorException" };

/** An answer of API Gateway itself (a gateway response): JSON {"message": ...}. */
export function gatewayError(status: number, body: { message: string }, requestId: string, trace: Trace): GatewayResponse {
  const errorType = ERROR_TYPES[status];
  return {
    status,
    headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId, ...(errorType ? { "x-amzn-ErrorType": errorType } : {}) },
    body: Buffer.from(JSON.stringify(body)),
    trace,
  };
}

/** The method response: reserved headers remapped, API Gateway's request id and trace id added. */
export function methodResponse(state: RequestState, status: number, headers: Record<string, string>, body: Buffer): GatewayResponse {
  const traceId = headerValue(state.headers, "x-amzn-trace-id");
  return {
    status,
    headers: { ...remapResponseHeaders(headers), "x-amzn-RequestId": requestIdOf(state), ...(traceId ? { "X-Amzn-Trace-Id": traceId } : {}) },
    body,
    trace: state.trace,
  };
}

export function requestIdOf(state: RequestState): string {
  return state.context.requestId as string;
}

/** What a mapping template sees of the request. */
export function templateInput(state: RequestState, body: string): TemplateInput {
  return {
    body,
    params: { path: state.matched.pathParams, querystring: state.query, header: state.headers },
    context: state.context,
    stageVariables: state.matched.stage.variables,
  };
}

/** The invocation, or "timeout" when the integration's own limit passes first (waiting for an environment included). */
export async function invokeWithin(
  runner: ProcessorDeps["runner"],
  fn: LambdaFunction,
  event: string,
  timeoutMs: number,
): Promise<InvokeResult | "timeout"> {
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
