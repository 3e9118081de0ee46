// X-Twilio-Signature as Twilio computes it, by twilio's own code so the two can never drift apart.
// A URL's fragment (the #rc=… connection overrides) is an instruction to Twilio's HTTP client: it
// never reaches the server, and the SDK validators sign the URL they are given, which a server
// rebuilds from the request line (twilio-node's validateIncomingRequest: request.originalUrl),
// so the signed URL is the one without its fragment, on a GET and a POST alike.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { SHARED_KEY_PREFIX } from "../../runtime/auth-tokens";
import type { Params } from "./params";

/** Signature of a POST: the exact URL requested (query string included) followed by the sorted form fields. */
export function signPost(authToken: string, url: string, params: Params, algorithm = "HMAC_SHA1"): string {
  return getExpectedTwilioSignature(authToken, withoutFragment(url), params, algorithm);
}

/** Signature of a GET: the parameters travel in the query string, so only the full URL is signed. */
export function signGet(authToken: string, fullUrl: string, algorithm = "HMAC_SHA1"): string {
  return getExpectedTwilioSignature(authToken, withoutFragment(fullUrl), {}, algorithm);
}

/** The key name a SharedKey webhook announces; Twilio's are "webhooks_sharedkey_…". */
export const SHARED_KEY_NAME = "webhooks_sharedkey_local";

/**
 * The signature headers of one request. `secret` is an auth token (HMAC-SHA1, no settings header)
 * or "sharedkey:SECRET", which signs as a SharedKey webhook does: HMAC-SHA256, announced by
 * X-Twilio-Webhooks-Signature-Settings.
 */
export function signatureHeaders(secret: string, method: "GET" | "POST", url: string, params: Params): Record<string, string> {
  const shared = secret.startsWith(SHARED_KEY_PREFIX);
  const key = shared ? secret.slice(SHARED_KEY_PREFIX.length) : secret;
  const algorithm = shared ? "HMAC_SHA256" : "HMAC_SHA1";
  const signature = method === "GET" ? signGet(key, url, algorithm) : signPost(key, url, params, algorithm);
  return shared
    ? { "X-Twilio-Signature": signature, "X-Twilio-Webhooks-Signature-Settings": `key=${SHARED_KEY_NAME},algorithm=${algorithm}` }
    : { "X-Twilio-Signature": signature };
}

/** The URL a GET request goes to: the parameters appended to any query the URL already has. */
export function withQuery(url: string, params: Params): string {
  const query = new URLSearchParams(params).toString();
  const base = withoutFragment(url);
  if (query === "") return base;
  return base + (base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?") + query;
}

export function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}
