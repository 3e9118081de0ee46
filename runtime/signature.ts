// X-Twilio-Signature: an HMAC of the URL Twilio called plus the sorted POST parameters, checked
// by the twilio library itself. A REST API never sees the raw query string, only its decoded
// parameters, so the query is rebuilt in each encoding a client may have used.
import { getSignatureAlgorithm, validateRequest } from "twilio/lib/webhooks/webhooks";
import { encodeForm, type Params } from "./params";

export interface SignedRequest {
  /** X-Twilio-Signature. */
  signature: string | undefined;
  /** X-Twilio-Webhooks-Signature-Settings, which names HMAC_SHA256 for SharedKey webhooks. */
  settings: string | undefined;
  /** The public URL without query string. */
  url: string;
  query: Record<string, string>;
  /** The form parameters of a POST; empty for a GET, whose parameters are in the URL. */
  body: Params;
}

export function isSignedBy(tokens: readonly string[], req: SignedRequest): boolean {
  if (!req.signature) return false;
  const algorithm = getSignatureAlgorithm(req.settings ?? "");
  const urls = urlCandidates(req.url, req.query);
  return tokens.some((token) => urls.some((url) => validateRequest(token, req.signature!, url, req.body, algorithm)));
}

function urlCandidates(url: string, query: Record<string, string>): string[] {
  if (Object.keys(query).length === 0) return [url];
  // RFC 3986 escaping (~ kept) and WHATWG form escaping (~ as %7E), each with + or %20 for spaces.
  const strict = encodeForm(query);
  const whatwg = new URLSearchParams(query).toString();
  const encodings = new Set([strict, strict.replace(/\+/g, "%20"), whatwg, whatwg.replace(/\+/g, "%20")]);
  return [...encodings].map((qs) => `${url}?${qs}`);
}
