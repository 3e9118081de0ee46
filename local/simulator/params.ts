// The parameter sets Twilio posts to webhooks, with fresh SIDs of Twilio's shapes. Names follow
// Twilio's voice and messaging webhook documentation; every value is text, as on the wire.
import { randomBytes } from "node:crypto";

export const API_VERSION = "2010-04-01";
/** A Twilio number in Japan (050 numbers are what Twilio sells there) and a Japanese mobile caller. */
export const DEFAULT_TO = "+815012345678";
export const DEFAULT_FROM = "+819012345678";

export type Params = Record<string, string>;

/** A SID: two-letter prefix and 32 lowercase hex digits, e.g. CA…, AC…, SM…, MM…. */
export function newSid(prefix: "CA" | "AC" | "SM" | "MM"): string {
  return prefix + randomBytes(16).toString("hex");
}

export function isE164(number: string): boolean {
  return /^\+[1-9][0-9]{6,14}$/.test(number);
}

// Twilio fills city, state and zip only where its number data has them (mostly North America);
// for Japanese numbers it sends the country alone, so the simulator does the same everywhere.
const COUNTRY_CODES: Array<[string, string]> = [
  ["852", "HK"], ["886", "TW"], ["81", "JP"], ["82", "KR"], ["86", "CN"], ["65", "SG"],
  ["61", "AU"], ["44", "GB"], ["49", "DE"], ["33", "FR"], ["1", "US"],
];

function country(number: string): string {
  return COUNTRY_CODES.find(([code]) => number.startsWith("+" + code))?.[1] ?? "";
}

function place(prefix: string, number: string): Params {
  return { [`${prefix}City`]: "", [`${prefix}State`]: "", [`${prefix}Zip`]: "", [`${prefix}Country`]: country(number) };
}

/** Who calls whom: fixed for the length of one call or message. */
export interface Parties {
  from: string;
  to: string;
  accountSid: string;
}

export function newParties(from = DEFAULT_FROM, to = DEFAULT_TO): Parties {
  return { from, to, accountSid: newSid("AC") };
}

export type CallStatus = "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "failed";

/** What every voice request of one call carries; CallStatus changes as the call goes on. */
export function callParams(parties: Parties, callSid: string, status: CallStatus): Params {
  return {
    AccountSid: parties.accountSid,
    ApiVersion: API_VERSION,
    CallSid: callSid,
    CallStatus: status,
    Called: parties.to,
    ...place("Called", parties.to),
    Caller: parties.from,
    ...place("Caller", parties.from),
    Direction: "inbound",
    From: parties.from,
    ...place("From", parties.from),
    To: parties.to,
    ...place("To", parties.to),
  };
}

/** The status callback sent once the call is over. */
export function statusCallbackParams(parties: Parties, callSid: string, status: CallStatus, durationSeconds: number, at: Date): Params {
  return {
    ...callParams(parties, callSid, status),
    CallDuration: String(durationSeconds),
    CallbackSource: "call-progress-events",
    SequenceNumber: "0",
    Timestamp: rfc2822(at),
  };
}

/** An incoming SMS, or MMS when media URLs are given (MessageSid then starts with MM). */
export function messageParams(parties: Parties, body: string, mediaUrls: string[]): Params {
  const sid = newSid(mediaUrls.length > 0 ? "MM" : "SM");
  const params: Params = {
    AccountSid: parties.accountSid,
    ApiVersion: API_VERSION,
    Body: body,
    From: parties.from,
    ...place("From", parties.from),
    MessageSid: sid,
    NumMedia: String(mediaUrls.length),
    NumSegments: String(segmentCount(body)),
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: "received",
    To: parties.to,
    ...place("To", parties.to),
  };
  mediaUrls.forEach((url, i) => {
    params[`MediaContentType${i}`] = mediaContentType(url);
    params[`MediaUrl${i}`] = url;
  });
  return params;
}

// GSM 03.38 basic set and extension table: messages limited to it travel as 7-bit text,
// anything else (Japanese, emoji) as UCS-2, which changes how many segments a message takes.
const GSM7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";

/** How many SMS segments Twilio counts for a body: 160/153 GSM-7 septets or 70/67 UTF-16 units. */
export function segmentCount(body: string): number {
  const chars = [...body];
  if (chars.every((ch) => GSM7.includes(ch) || GSM7_EXTENDED.includes(ch))) {
    const septets = chars.reduce((n, ch) => n + (GSM7_EXTENDED.includes(ch) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

const MEDIA_TYPES: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp",
  mp4: "video/mp4", "3gp": "video/3gpp", mp3: "audio/mpeg", ogg: "audio/ogg", amr: "audio/amr",
  pdf: "application/pdf", vcf: "text/vcard", txt: "text/plain",
};

function mediaContentType(url: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? "";
  return MEDIA_TYPES[ext] ?? "application/octet-stream";
}

/** RFC 2822 date as Twilio writes it, e.g. "Sun, 29 Nov 2026 02:47:01 +0000". */
function rfc2822(at: Date): string {
  return at.toUTCString().replace(/GMT$/, "+0000");
}
