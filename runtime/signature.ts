// X-Twilio-Signature: Twilio's HMAC of the URL it called plus the sorted POST parameters, computed
// by the twilio library itself. A REST API hands the function only the decoded query, so the
// query string is rebuilt in each encoding a URL may have been written in (query-encoding.ts);
// every candidate decodes to exactly the parameters the handler gets, so none lets a changed
// parameter through.
import { timingSafeEqual } from "node:crypto";
import { getExpectedTwilioSignature, getSignatureAlgorithm } from "twilio/lib/webhooks/webhooks";
import { parseSecrets } from "./auth-tokens";
import type { Params } from "./params";
import { queryCandidates } from "./query-encoding";

const SIGNATURE_LENGTH: Record<string, number> = { HMAC_SHA1: 28, HMAC_SHA256: 44 };

export interface SignedRequest {
  /** X-Twilio-Signature. */
  signature: string | undefined;
  /** X-Twilio-Webhooks-Signature-Settings, which names HMAC_SHA256 for SharedKey webhooks. */
  settings: string | undefined;
  method: "GET" | "POST";
  /** The public URL without query string, the path as requested (trailing slash included). */
  url: string;
  query: Record<string, string>;
  /** The form parameters of a POST; empty for a GET, whose parameters are in the URL. */
  body: Params;
}

/**
 * True when the signature is Twilio's for one of the candidate URLs. HMAC-SHA1 signatures are
 * checked against the auth tokens only, HMAC-SHA256 (SharedKey) ones against the shared keys only.
 */
export function isSignedBy(secrets: readonly string[], req: SignedRequest): boolean {
  if (!req.signature) return false;
  const algorithm = getSignatureAlgorithm(req.settings ?? "").toUpperCase();
  const { authTokens, sharedKeys } = parseSecrets(secrets);
  const keys = algorithm === "HMAC_SHA1" ? authTokens : algorithm === "HMAC_SHA256" ? sharedKeys : [];
  if (keys.length === 0) return false;
  const received = Buffer.from(req.signature);
  // Base64 of a SHA-1 or SHA-256 HMAC has one length: a header of another costs no HMAC at all.
  if (received.length !== SIGNATURE_LENGTH[algorithm]) return false;
  const matches = (url: string) =>
    keys.some((key) => {
      const expected = Buffer.from(getExpectedTwilioSignature(key, url, req.body, algorithm));
      return expected.length === received.length && timingSafeEqual(expected, received);
    });
  for (const url of candidateUrls(req)) if (matches(url)) return true;
  return false;
}

/** The URLs Twilio may have signed for this request: the query string in each encoding rebuilt. */
export function signatureUrls(req: Pick<SignedRequest, "method" | "url" | "query">): string[] {
  return [...candidateUrls(req)];
}

function* candidateUrls(req: Pick<SignedRequest, "method" | "url" | "query">): Generator<string> {
  // A bare trailing "?" leaves no query parameter behind, so an empty query has two forms.
  if (Object.keys(req.query).length === 0) return yield* [req.url, `${req.url}?`];
  for (const qs of queryCandidates(req.query, req.method === "GET")) yield `${req.url}?${qs}`;
}
