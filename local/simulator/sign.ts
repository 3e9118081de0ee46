// X-Twilio-Signature as Twilio computes it, by twilio's own code so the two can never drift apart.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { Params } from "./params";

/** Signature of a POST: the exact URL requested (query string included) followed by the sorted form fields. */
export function signPost(authToken: string, url: string, params: Params): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** Signature of a GET: the parameters travel in the query string, so only the full URL is signed. */
export function signGet(authToken: string, fullUrl: string): string {
  return getExpectedTwilioSignature(authToken, fullUrl, {});
}

/** The URL a GET request goes to: the parameters appended to any query the URL already has. */
export function withQuery(url: string, params: Params): string {
  const query = new URLSearchParams(params).toString();
  if (query === "") return url;
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  return base + (base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?") + query;
}
