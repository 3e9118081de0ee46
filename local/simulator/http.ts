// One webhook request the way Twilio sends it: the headers its proxy adds, the form encoding,
// the signature over the exact URL, a hard deadline, the call's cookies, and HTTP redirects
// followed only where Twilio follows them.
import http from "node:http";
import https from "node:https";
import { randomUUID } from "node:crypto";
import type { LookupFunction } from "node:net";
import { TWILIO_WEBHOOK_TIMEOUT_MS } from "../../contract";
import type { CookieJar } from "./cookies";
import type { Params } from "./params";
import { signatureHeaders, withQuery } from "./sign";

const MAX_REDIRECTS = 10;
/** Twilio follows only these; any other 3xx, or one without a Location, is 11216 (twilio.com/docs/api/errors/11216). */
const FOLLOWED_REDIRECTS = [301, 302, 303, 307];

export type Method = "GET" | "POST";

export interface WebhookRequest {
  url: string;
  method: Method;
  params: Params;
  /** Absent: the request goes out unsigned. "sharedkey:SECRET" signs as a SharedKey webhook (HMAC-SHA256). */
  authToken?: string;
  timeoutMs?: number;
  /** The call's cookies: sent with the request, updated from the answer. */
  cookies?: CookieJar;
  /** Name resolution, dns.lookup by default; tests pass a fake to stay off the network. */
  lookup?: LookupFunction;
}

export interface WebhookResponse {
  ok: true;
  /** The URL that finally answered (after any HTTP redirects), without the GET query. */
  url: string;
  method: Method;
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

export interface WebhookFailure {
  ok: false;
  url: string;
  method: Method;
  reason: FailureReason;
  message: string;
  ms: number;
}

export type FailureReason = "timeout" | "connection" | "dns" | "redirects" | "bad-redirect";

export type WebhookOutcome = WebhookResponse | WebhookFailure;

export async function sendWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
  const started = performance.now();
  const limitMs = request.timeoutMs ?? TWILIO_WEBHOOK_TIMEOUT_MS;
  const deadline = started + limitMs;
  let { url, method, params } = request;
  for (let hop = 0; ; hop++) {
    const answer = await once(url, method, params, request, deadline, limitMs);
    const ms = Math.round(performance.now() - started);
    if ("error" in answer) return { ok: false, url, method, reason: answer.reason, message: answer.error, ms };
    request.cookies?.store(url, answer.setCookies);
    if (answer.status < 300 || answer.status > 399) {
      return { ok: true, url, method, status: answer.status, contentType: answer.contentType, body: answer.body, ms };
    }
    const location = answer.location;
    if (location === undefined || !FOLLOWED_REDIRECTS.includes(answer.status)) {
      const why = location === undefined ? "without a Location header" : "which Twilio does not follow";
      return { ok: false, url, method, reason: "bad-redirect", message: `answered HTTP ${answer.status} ${why}`, ms };
    }
    if (hop === MAX_REDIRECTS) {
      return { ok: false, url, method, reason: "redirects", message: `more than ${MAX_REDIRECTS} HTTP redirects`, ms };
    }
    url = new URL(location, url).toString();
    if (answer.status !== 307) {
      method = "GET";
      params = {};
    }
  }
}

interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
  location?: string;
  setCookies: string[];
}

interface RawFailure {
  error: string;
  reason: "timeout" | "connection" | "dns";
}

function once(
  url: string,
  method: Method,
  params: Params,
  { authToken, cookies, lookup }: WebhookRequest,
  deadline: number,
  limitMs: number,
): Promise<RawAnswer | RawFailure> {
  const target = method === "GET" ? withQuery(url, params) : url;
  const body = method === "POST" ? new URLSearchParams(params).toString() : "";
  const headers: Record<string, string> = {
    "User-Agent": "TwilioProxy/1.1",
    Accept: "*/*",
    "Cache-Control": "max-age=259200",
    "I-Twilio-Idempotency-Token": randomUUID(),
    "X-Home-Region": "us1",
    Connection: "close",
  };
  if (method === "POST") {
    headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  const cookie = cookies?.header(target);
  if (cookie !== undefined) headers.Cookie = cookie;
  if (authToken !== undefined) Object.assign(headers, signatureHeaders(authToken, method, target, params));
  const client = target.startsWith("https:") ? https : http;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ reason: "timeout", error: `no complete answer within ${limitMs} ms` });
    }, Math.max(0, deadline - performance.now()));
    const req = client.request(target, { method, headers, agent: false, ...(lookup ? { lookup } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (err) => finish({ reason: "connection", error: err.message }));
      res.on("end", () =>
        finish({
          status: res.statusCode ?? 0,
          contentType: res.headers["content-type"] ?? "",
          body: Buffer.concat(chunks).toString("utf8"),
          location: res.headers.location,
          setCookies: res.headers["set-cookie"] ?? [],
        }),
      );
    });
    const finish = (answer: RawAnswer | RawFailure) => {
      clearTimeout(timer);
      resolve(answer);
    };
    req.on("error", (err: NodeJS.ErrnoException) => {
      const dns = err.code === "ENOTFOUND" || err.code === "EAI_AGAIN" || err.code === "EAI_NONAME";
      finish({ reason: dns ? "dns" : "connection", error: err.message });
    });
    req.end(body);
  });
}
