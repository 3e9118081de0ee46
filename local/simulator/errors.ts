// How Twilio judges a webhook's answer: which MIME types it understands, and the error code it
// logs when it cannot use what came back (these are the codes its Debugger shows).
import type { FailureReason, WebhookOutcome } from "./http";
import { parseXml, XmlSyntaxError, type XmlElement } from "./twiml";

export const TWILIO_ERRORS = {
  11200: "HTTP retrieval failure",
  11205: "HTTP connection failure",
  11210: "HTTP bad host name",
  11215: "HTTP too many redirects",
  11216: "HTTP invalid redirect",
  12100: "Document parse failure",
  12102: "The root element must be Response",
  12200: "Schema validation warning",
  12300: "Invalid Content-Type",
  14103: "Invalid Body",
  14106: "Document retrieval limit reached",
  14109: "TwiML Reply message limit exceeded",
  15003: "Call Progress: Warning Response to Callback URL",
} as const;

export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

/** What an answer means to Twilio. */
export type Interpretation =
  | { kind: "twiml"; root: XmlElement }
  /** Voice only: Twilio plays the answer itself, then hangs up. */
  | { kind: "audio"; contentType: string }
  /** Voice: read aloud, then hang up. Messaging: sent back as the reply. */
  | { kind: "text"; text: string }
  /** Messaging only: nothing to send back. */
  | { kind: "empty" }
  | { kind: "error"; code: TwilioErrorCode; message: string };

export type Channel = "voice" | "messaging";

const FAILURE_CODES: Record<FailureReason, TwilioErrorCode> = {
  timeout: 11200,
  connection: 11205,
  dns: 11210,
  redirects: 11215,
  "bad-redirect": 11216,
};

export function interpret(outcome: WebhookOutcome, channel: Channel): Interpretation {
  if (!outcome.ok) {
    const local = outcome.reason === "connection" && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(outcome.url);
    const verb = outcome.reason === "bad-redirect" ? "" : " failed:";
    return error(FAILURE_CODES[outcome.reason], `${outcome.method} ${outcome.url}${verb} ${outcome.message}${local ? " (is `make dev` running?)" : ""}.`);
  }
  // Twilio logs every answer outside 2xx as 11200 (twilio.com/docs/api/errors/11200).
  if (outcome.status < 200 || outcome.status > 299) {
    const excerpt = outcome.body.trim().replace(/\s+/g, " ").slice(0, 200);
    return error(11200, `${outcome.method} ${outcome.url} answered HTTP ${outcome.status}${hintFor(outcome.status, excerpt)}${excerpt ? `: ${excerpt}` : "."}`);
  }
  const mediaType = outcome.contentType.split(";")[0].trim().toLowerCase();
  if (channel === "messaging" && (outcome.status === 204 || outcome.body.trim() === "")) return { kind: "empty" };
  if (mediaType === "text/xml" || mediaType === "application/xml" || mediaType === "text/html") return twiml(outcome.body);
  if (mediaType === "text/plain") return { kind: "text", text: outcome.body };
  if (channel === "voice" && mediaType.startsWith("audio/")) return { kind: "audio", contentType: mediaType };
  return error(12300, mediaType === "" ? `${outcome.url} answered without a Content-Type.` : `${outcome.url} answered with Content-Type ${mediaType}, which Twilio cannot use here.`);
}

/**
 * What a 403 most likely means. API Gateway answers `Missing Authentication Token` for a path or
 * method it has no route for, which has nothing to do with the auth token; only a body that
 * speaks of the signature points at the token.
 */
function hintFor(status: number, body: string): string {
  if (status !== 403) return "";
  if (body.includes("Missing Authentication Token")) return " (API Gateway has no route for this method and path; check the URL and the stage)";
  if (/signature/i.test(body)) return " (is the auth token the one the server checks signatures with?)";
  return "";
}

function twiml(body: string): Interpretation {
  if (body.trim() === "") return error(12100, "The answer is an empty document.");
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (err) {
    if (err instanceof XmlSyntaxError) return error(12100, `The TwiML is not well-formed XML: ${err.message}`);
    throw err;
  }
  if (root.name !== "Response") return error(12102, `The root element is <${root.name}>, not <Response>.`);
  return { kind: "twiml", root };
}

function error(code: TwilioErrorCode, message: string): Interpretation {
  return { kind: "error", code, message };
}
