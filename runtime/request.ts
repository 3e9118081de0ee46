// What a handler sees: the request as Twilio made it, typed, with nothing of API Gateway left.
import type { GatewayEvent } from "./event";
import { HttpError } from "./http-error";
import { fromQuery, parseForm, type Params } from "./params";
import { joinRoute, stageBaseUrl } from "./public-url";
import type { LogFields } from "./log";

export interface TwilioRequest<P = Params> {
  method: "GET" | "POST";
  /** The form body of a POST, the query string of a GET. */
  params: P;
  /** Query parameters, also on a POST (e.g. a retry counter in a Redirect URL). */
  query: Record<string, string>;
  stage: string;
  /** The public URL Twilio called, without query string; the path as requested, trailing slash included. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The stage's variables, e.g. `voice`. */
  stageVariables: Record<string, string>;
  requestId: string;
  /**
   * The URL Twilio must call for a route of this stage: urlFor("/voice/menu"), or with a query,
   * urlFor("/voice/menu", { retry: "1" }). The query is written in its canonical form, the one the
   * signature check rebuilds first.
   */
  urlFor(route: string, query?: Record<string, string>): string;
  /** Adds fields to this request's log line. */
  log(fields: LogFields): void;
  /**
   * A plain setting declared for this function in infra/stages.ts (`settings`, for every function
   * or in `functions["voice/x"]`): setting("FORWARD_TO"). An undeclared name is an error.
   */
  setting(name: string): string;
  /**
   * A secret declared for this function in infra/stages.ts (`secrets`), read from SSM once per
   * cold start with the auth token (locally: from the shell or .env). An undeclared name is an error.
   */
  secret(name: string): string;
  /** What to call other services with: the global fetch in Lambda, a test's own in a test (testkit/). */
  fetch: typeof fetch;
  /** The time now: the real clock in Lambda, a fixed one in a test. */
  now(): Date;
}

/** What a handler may read of its function's configuration. */
export interface HandlerConfig {
  route: string;
  settings: Record<string, string>;
  /** The declared secrets' values, read before the handler runs. */
  secrets: () => Record<string, string>;
}

const FORM = "application/x-www-form-urlencoded";

/** Checks that the event is what request.vtl renders, so a misrouted invocation is a 400, not a crash. */
export function assertGatewayEvent(event: unknown): asserts event is GatewayEvent {
  const e = event as Partial<GatewayEvent> | null;
  const ok =
    typeof e === "object" && e !== null &&
    ["method", "stage", "domainName", "path", "resourcePath", "requestId", "body"].every((k) => typeof (e as any)[k] === "string") &&
    ["headers", "query", "stageVariables"].every((k) => typeof (e as any)[k] === "object" && (e as any)[k] !== null);
  if (!ok) throw new HttpError(400, "The event is not a denwa request: invoke the function through its API Gateway route.");
}

export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

export interface RequestParts {
  event: GatewayEvent;
  headers: Record<string, string>;
  publicBaseUrl?: string;
  log: (fields: LogFields) => void;
  config: HandlerConfig;
  /** Only tests hand these in; a deployed handler gets the global fetch and the real clock. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export function toTwilioRequest({ event, headers, publicBaseUrl, log, config, fetch = globalThis.fetch, now = () => new Date() }: RequestParts): TwilioRequest {
  const method = event.method.toUpperCase();
  if (method !== "GET" && method !== "POST") {
    throw new HttpError(400, `Twilio webhooks are GET or POST, not ${event.method}.`);
  }
  const base = stageBaseUrl(event, headers, publicBaseUrl);
  return {
    method,
    params: method === "POST" ? formBody(event, headers) : fromQuery(event.query),
    query: event.query,
    stage: event.stage,
    url: requestedUrl(base, event),
    headers,
    stageVariables: event.stageVariables,
    requestId: event.requestId,
    urlFor: (route, query) => joinRoute(base, route, query),
    log,
    setting: (name) => declaredValue(config, "setting", name),
    secret: (name) => declaredValue(config, "secret", name),
    fetch,
    now,
  };
}

/** What req.setting() and req.secret() answer: the declared value, else an error naming the name. */
function declaredValue(config: HandlerConfig, kind: "setting" | "secret", name: string): string {
  const values = kind === "setting" ? config.settings : config.secrets();
  const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
  if (value === undefined) {
    throw new Error(`${config.route} reads the ${kind} ${name}, which infra/stages.ts does not declare for it (${kind}s).`);
  }
  return value;
}

/**
 * API Gateway routes "/dev/voice/hello/" to the resource "/voice/hello" (aws/chalice#65,
 * aws-powertools-lambda-python#1552), and $context.path keeps the slash (floci-io/floci#1557,
 * recorded against AWS). Twilio signs the URL as configured, so the slash belongs to it.
 */
function requestedUrl(base: string, event: GatewayEvent): string {
  const url = joinRoute(base, event.resourcePath);
  return event.path.endsWith("/") && !url.endsWith("/") ? `${url}/` : url;
}

function formBody(event: GatewayEvent, headers: Record<string, string>): Params {
  const mediaType = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== FORM) {
    throw new HttpError(415, `Twilio webhooks post ${FORM}; this request sent ${mediaType || "no Content-Type"}.`);
  }
  const body = Buffer.from(event.body, "base64");
  // API Gateway hands a template an empty body as "{}" (recorded: tests/conformance/input-body.json).
  // No form is "{}" as sent (a brace is %7B in a form), so that is the empty form.
  return parseForm(body.length === 2 && body.toString("latin1") === "{}" ? Buffer.alloc(0) : body);
}
