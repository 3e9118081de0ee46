// Requests as Twilio makes them, for tests: a signed GatewayEvent exactly as request.vtl renders
// it, and the TwilioRequest a handler gets, made from that event by the runtime's own code, with
// fetch and the clock handed in. The project's tests, the bench and handler authors' tests all
// build their requests here; the signature is the call simulator's (local/simulator/sign.ts).
import type { GatewayEvent } from "../runtime/event";
import type { LogFields } from "../runtime/log";
import { encodeForm, type Params } from "../runtime/params";
import { lowerCaseHeaders, toTwilioRequest, type TwilioRequest } from "../runtime/request";
import { signatureHeaders } from "../local/simulator/sign";
import { SAMPLE_TIME } from "./samples";

/** The auth token the samples are signed with. */
export const SAMPLE_TOKEN = "test-auth-token-0123456789abcdef";
/** The execute-api host of the samples. */
export const SAMPLE_HOST = "abc123.execute-api.ap-northeast-1.amazonaws.com";

export interface EventOptions {
  method?: "GET" | "POST";
  /** The route called, as API Gateway's resource path: "/voice/hello". */
  route?: string;
  stage?: string;
  /** The form fields; on a GET they travel in the query string. */
  params?: Record<string, string | string[] | undefined>;
  query?: Record<string, string>;
  stageVariables?: Record<string, string>;
  /** Signs with this auth token (or "sharedkey:SECRET"); null sends no signature. */
  token?: string | null;
  headers?: Record<string, string>;
  /** The URL to sign instead of the execute-api one (custom domain, tunnel). */
  signedUrl?: string;
  /** A body to send instead of the encoded params. */
  rawBody?: Buffer;
  requestId?: string;
}

/** A signed POST (or GET) as API Gateway hands it to the function. */
export function gatewayEvent({
  method = "POST",
  route = "/voice/hello",
  stage = "dev",
  params = {},
  query = {},
  stageVariables = {},
  token = SAMPLE_TOKEN,
  headers = {},
  signedUrl,
  rawBody,
  requestId = "req-0001",
}: EventOptions = {}): GatewayEvent {
  const fields = definedFields(params);
  const allQuery = method === "GET" ? { ...query, ...(fields as Record<string, string>) } : query;
  const qs = encodeForm(allQuery);
  const url = (signedUrl ?? `https://${SAMPLE_HOST}/${stage}${route}`) + (qs ? `?${qs}` : "");
  const body = method === "POST" ? rawBody ?? Buffer.from(encodeForm(fields), "utf8") : Buffer.alloc(0);
  return {
    method,
    stage,
    domainName: SAMPLE_HOST,
    path: `/${stage}${route}`,
    resourcePath: route,
    requestId,
    sourceIp: "203.0.113.7",
    headers: {
      Host: SAMPLE_HOST,
      "X-Forwarded-Proto": "https",
      ...(method === "POST" ? { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" } : {}),
      ...(token === null ? {} : signatureHeaders(token, method, url, fields as Record<string, string>)),
      ...headers,
    },
    query: allQuery,
    stageVariables,
    body: body.toString("base64"),
  };
}

export interface RequestOptions<P> extends Omit<EventOptions, "params" | "rawBody" | "token"> {
  /** Fields to add to (or replace in) the sample parameters. */
  params?: Partial<P>;
  /** A custom domain the stage is served on, as the stage's publicBaseUrl setting. */
  publicBaseUrl?: string;
  /** What req.fetch is; by default a fetch that refuses, so no test reaches the network unasked. */
  fetch?: typeof fetch;
  /** What req.now() answers; by default the samples' fixed time. */
  now?: () => Date;
  /** The function's declared settings and secrets, as req.setting() and req.secret() read them. */
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
}

/** A TwilioRequest as the runtime would hand it to a handler, and the fields the handler logged. */
export type TestRequest<P> = TwilioRequest<P> & { logged: LogFields };

/** The request a handler gets for `params`, over POST unless `method` says GET. */
export function twilioRequest<P>(
  params: P,
  { publicBaseUrl, fetch = refusingFetch, now = () => new Date(SAMPLE_TIME), settings = {}, secrets = {}, ...options }: RequestOptions<P> = {},
): TestRequest<P> {
  const event = gatewayEvent({ ...options, params: { ...params, ...options.params } as EventOptions["params"] });
  const logged: LogFields = {};
  const config = { route: event.resourcePath.replace(/^\//, ""), settings, secrets: () => secrets };
  const log = (fields: LogFields) => Object.assign(logged, fields);
  const req = toTwilioRequest({ event, headers: lowerCaseHeaders(event.headers), publicBaseUrl, log, config, fetch, now });
  return Object.assign(req as unknown as TwilioRequest<P>, { logged });
}

const refusingFetch: typeof fetch = async (input) => {
  throw new Error(`This test made a request to ${String(input instanceof Request ? input.url : input)}: pass a fetch to the test request to answer it.`);
};

/** Twilio sends no field without a value; optional fields left undefined are left out. */
function definedFields(params: NonNullable<EventOptions["params"]>): Params {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}
