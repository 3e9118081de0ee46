// The parameter sets Twilio posts to webhooks, with fresh SIDs of Twilio's shapes. Each set is
// checked against the runtime's type for that request (runtime/twilio-params.ts), so handlers and
// simulator cannot disagree on a name; every value is text, as on the wire.
import { randomBytes } from "node:crypto";
import { SegmentedMessage } from "sms-segments-calculator";
import type {
  CallParams,
  CallStatus,
  CallStatusCallback,
  DialAction,
  DialCallStatus,
  GatherAction,
  IncomingMessage,
  MessageStatusCallback,
  RecordAction,
  RecordingStatusCallback,
  TranscriptionCallback,
} from "../../runtime/twilio-params";

export const API_VERSION = "2010-04-01";
/** A Twilio number in Japan (050 numbers are what Twilio sells there) and a Japanese mobile caller. */
export const DEFAULT_TO = "+815012345678";
export const DEFAULT_FROM = "+819012345678";

export type Params = Record<string, string>;

/** A SID: two-letter prefix and 32 lowercase hex digits, e.g. CA…, AC…, SM…, MM…. */
export function newSid(prefix: "CA" | "AC" | "SM" | "MM" | "RE" | "TR"): string {
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
  /** Opaque, as Twilio's is: only passed back to forward the call. */
  callToken: string;
}

/** A new call's or message's parties; an AccountSid given as a --param is the account everywhere, recording URLs included. */
export function newParties(from = DEFAULT_FROM, to = DEFAULT_TO, accountSid = newSid("AC")): Parties {
  return { from, to, accountSid, callToken: randomBytes(24).toString("base64url") };
}

/** The AccountSid a caller's --param names, if it names one. */
export function givenAccount(params: Params | undefined): string | undefined {
  const given = params?.AccountSid;
  return typeof given === "string" ? given : undefined;
}

export type { CallStatus };

/** Parameters as they go on the wire, checked against the runtime's type for that request. */
function wire<T>(params: T): Params {
  return params as unknown as Params;
}

/** What every voice request of one call carries; CallStatus changes as the call goes on. */
export function callParams(parties: Parties, callSid: string, status: CallStatus): Params {
  return wire<CallParams>({
    AccountSid: parties.accountSid,
    ApiVersion: API_VERSION,
    CallSid: callSid,
    CallStatus: status,
    CallToken: parties.callToken,
    Called: parties.to,
    ...place("Called", parties.to),
    Caller: parties.from,
    ...place("Caller", parties.from),
    Direction: "inbound",
    From: parties.from,
    ...place("From", parties.from),
    To: parties.to,
    ...place("To", parties.to),
  });
}

/** The keys a <Gather> collected (twilio.com/docs/voice/twiml/gather#action). */
export function gatherDigitsParams(call: Params, digits: string, finishedOnKey: string): Params {
  return wire<GatherAction>({ ...(call as unknown as CallParams), Digits: digits, FinishedOnKey: finishedOnKey, msg: "Gather End" });
}

/** What a <Gather input="speech"> heard. */
export function gatherSpeechParams(call: Params, speech: string, confidence: string): Params {
  return wire<GatherAction>({ ...(call as unknown as CallParams), SpeechResult: speech, Confidence: confidence, msg: "Gather End" });
}

/** How a <Dial> ended (twilio.com/docs/voice/twiml/dial#action). */
export function dialParams(call: Params, status: DialCallStatus, dialCallSid: string, seconds: number): Params {
  return wire<DialAction>({
    ...(call as unknown as CallParams),
    DialCallStatus: status,
    DialCallSid: dialCallSid,
    DialCallDuration: String(seconds),
    DialBridged: status === "completed" || status === "answered" ? "true" : "false",
  });
}

/** A recording made by <Record>: its SID and where Twilio keeps the audio. */
export interface Recording {
  sid: string;
  url: string;
  seconds: number;
  startedAt: Date;
}

export function newRecording(accountSid: string, seconds: number, startedAt: Date): Recording {
  const sid = newSid("RE");
  return { sid, url: `https://api.twilio.com/${API_VERSION}/Accounts/${accountSid}/Recordings/${sid}`, seconds, startedAt };
}

/** The <Record> action (twilio.com/docs/voice/twiml/record#attributes-action). */
export function recordParams(call: Params, recording: Recording, digits: string): Params {
  return wire<RecordAction>({
    ...(call as unknown as CallParams),
    RecordingUrl: recording.url,
    RecordingSid: recording.sid,
    RecordingDuration: String(recording.seconds),
    Digits: digits,
  });
}

/** The <Record> recordingStatusCallback (twilio.com/docs/voice/twiml/record#attributes-recording-status-callback). */
export function recordingStatusParams(parties: Parties, callSid: string, recording: Recording, status: RecordingStatusCallback["RecordingStatus"]): Params {
  return wire<RecordingStatusCallback>({
    AccountSid: parties.accountSid,
    CallSid: callSid,
    RecordingSid: recording.sid,
    RecordingUrl: recording.url,
    RecordingStatus: status,
    RecordingDuration: String(status === "completed" ? recording.seconds : 0),
    RecordingChannels: "1",
    RecordingStartTime: rfc2822(recording.startedAt),
    RecordingSource: "RecordVerb",
    RecordingTrack: "inbound",
  });
}

/** The <Record> transcribeCallback (twilio.com/docs/voice/twiml/record#attributes-transcribe-callback). */
export function transcriptionParams(call: Params, recording: Recording, text: string | null): Params {
  const sid = newSid("TR");
  return wire<TranscriptionCallback>({
    ...(call as unknown as CallParams),
    TranscriptionSid: sid,
    ...(text === null ? {} : { TranscriptionText: text }),
    TranscriptionStatus: text === null ? "failed" : "completed",
    TranscriptionUrl: `https://api.twilio.com/${API_VERSION}/Accounts/${(call as unknown as CallParams).AccountSid}/Transcriptions/${sid}`,
    RecordingSid: recording.sid,
    RecordingUrl: recording.url,
  });
}

// What a finished call's SIP leg answered, as Twilio reports it in the status callback
// (a recorded busy callback carries SipResponseCode=486).
const SIP_CODES: Partial<Record<CallStatus, string>> = { completed: "200", busy: "486", "no-answer": "487" };

/** The status callback sent once the call is over. */
export function statusCallbackParams(parties: Parties, callSid: string, status: CallStatus, durationSeconds: number, at: Date): Params {
  const sip = SIP_CODES[status];
  return wire<CallStatusCallback>({
    ...(callParams(parties, callSid, status) as unknown as CallParams),
    CallDuration: String(durationSeconds),
    Duration: String(Math.ceil(durationSeconds / 60)),
    ...(sip === undefined ? {} : { SipResponseCode: sip }),
    CallbackSource: "call-progress-events",
    SequenceNumber: "0",
    Timestamp: rfc2822(at),
  });
}

/** An incoming SMS, or MMS when media URLs are given (MessageSid then starts with MM). */
export function messageParams(parties: Parties, body: string, mediaUrls: string[]): Params {
  const sid = newSid(mediaUrls.length > 0 ? "MM" : "SM");
  const params = wire<IncomingMessage>({
    AccountSid: parties.accountSid,
    ApiVersion: API_VERSION,
    Body: body,
    From: parties.from,
    ...place("From", parties.from),
    MessageSid: sid,
    NumMedia: String(mediaUrls.length),
    NumSegments: String(segmentCount(body)),
    ReferralNumMedia: "0",
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: "received",
    To: parties.to,
    ...place("To", parties.to),
  });
  mediaUrls.forEach((url, i) => {
    params[`MediaContentType${i}`] = mediaContentType(url);
    params[`MediaUrl${i}`] = url;
  });
  return params;
}

/** The <Message action> request: the reply's SID and status (twilio.com/docs/messaging/twiml/message#action). */
export function messageActionParams(incoming: Params, replySid: string, from: string, to: string, status: "sent" | "failed"): Params {
  return wire<MessageStatusCallback & Partial<IncomingMessage>>({
    ...(incoming as unknown as IncomingMessage),
    MessageSid: replySid,
    MessageStatus: status,
    From: from,
    To: to,
  });
}

/** How many segments Twilio bills a body as, by TwilioDevEd's own segment calculator. */
export function segmentCount(body: string): number {
  return new SegmentedMessage(body).segmentsCount;
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
