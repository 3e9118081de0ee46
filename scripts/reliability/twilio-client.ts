// Requests as Twilio makes them, signed with twilio's own getExpectedTwilioSignature over the URL
// the runtime rebuilds (the emulator is plain HTTP: X-Forwarded-Proto http, Host 127.0.0.1:port).
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { CALL as SAMPLE_CALL } from "../../testkit/samples";
import type { Params } from "../../runtime/params";
import type { Send } from "./served";

/** Where requests go: the emulator's root URL. */
export interface Target {
  url: string;
}

/** The auth token of every served stack; long enough for the runtime to mask it in logs. */
export const TOKEN = "reliability-token-5f0c9a7e31d24b68";
export const OTHER_TOKEN = "another-accounts-token-0a1b2c3d4e5f";
export const FORM = "application/x-www-form-urlencoded";

/** Form fields in the order sent; a name may repeat. */
export type Pairs = [string, string][];

/** How a client may escape a form: WHATWG URLSearchParams, or RFC 3986 with %20 for spaces. */
export type FormStyle = "whatwg" | "rfc3986";

export function encodeBody(pairs: Pairs, style: FormStyle): string {
  if (style === "whatwg") return new URLSearchParams(pairs).toString();
  const escape = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([name, value]) => `${escape(name)}=${escape(value)}`).join("&");
}

/** The parameters as the runtime's parseForm groups them: a repeated name becomes an array. */
export function toParams(pairs: Pairs): Params {
  const params: Params = Object.create(null);
  for (const [name, value] of pairs) {
    const existing = params[name];
    params[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

export function publicUrl(served: Target, path: string): string {
  return served.url + path;
}

export interface PostOptions {
  token?: string;
  style?: FormStyle;
  /** Sign this URL instead of the one requested. */
  signedUrl?: string;
  /** Sign these fields instead of the ones sent. */
  signedPairs?: Pairs;
  /** Replace the signature header (undefined: leave it out). */
  signature?: (signature: string) => string | undefined;
}

export function signedPost(served: Target, path: string, pairs: Pairs, options: PostOptions = {}): Send {
  const { token = TOKEN, style = "whatwg", signedUrl = publicUrl(served, path), signedPairs = pairs } = options;
  const correct = getExpectedTwilioSignature(token, signedUrl, toParams(signedPairs));
  const signature = options.signature ? options.signature(correct) : correct;
  return {
    method: "POST",
    path,
    headers: { "Content-Type": `${FORM}; charset=utf-8`, ...(signature === undefined ? {} : { "X-Twilio-Signature": signature }) },
    body: encodeBody(pairs, style),
  };
}

export function signedGet(served: Target, path: string, query: Record<string, string>, token = TOKEN): Send {
  const full = `${path}?${new URLSearchParams(query)}`;
  return { method: "GET", path: full, headers: { "X-Twilio-Signature": getExpectedTwilioSignature(token, publicUrl(served, full), {}) } };
}

/** A call's parameters as Twilio sends them. */
/** The test kit's incoming call, as the ordered pairs this client encodes itself. */
export const CALL: Pairs = Object.entries(SAMPLE_CALL);

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
export const HELLO_TWIML = `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">こんにちは!ぼくはアリスです!</Say></Response>`;

/** XML text back to the characters it stands for. */
export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);/g, (_, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[name] as string;
  });
}
