// One set of sample parameters for every test: what Twilio sends for one call and one message
// between fixed parties, built by the call simulator's own parameter builders (the names and
// values make call and make sms send), with fixed SIDs and times so that tests can assert exact
// output.
import type {
  CallStatusCallback, DialAction, DialCallStatus, FallbackParams, IncomingCall, IncomingMessage, RecordAction, RecordingStatusCallback,
} from "../runtime/twilio-params";
import {
  API_VERSION, DEFAULT_FROM, DEFAULT_TO, callParams, dialParams, gatherDigitsParams, gatherSpeechParams, messageParams, recordParams,
  recordingStatusParams, statusCallbackParams, type Params, type Parties, type Recording,
} from "../local/simulator/params";

export const SAMPLE_PARTIES: Parties = {
  from: DEFAULT_FROM,
  to: DEFAULT_TO,
  accountSid: "AC0123456789abcdef0123456789abcdef",
  callToken: "c2FtcGxlLWNhbGwtdG9rZW4",
};
export const SAMPLE_CALL_SID = "CA0123456789abcdef0123456789abcdef";
export const SAMPLE_MESSAGE_SID = "SM0123456789abcdef0123456789abcdef";
/** 2026-04-01 09:00 in Tokyo: the fixed clock of the samples. */
export const SAMPLE_TIME = new Date("2026-04-01T00:00:00Z");

const RECORDING_SID = "RE0123456789abcdef0123456789abcdef";
const SAMPLE_RECORDING: Recording = {
  sid: RECORDING_SID,
  url: `https://api.twilio.com/${API_VERSION}/Accounts/${SAMPLE_PARTIES.accountSid}/Recordings/${RECORDING_SID}`,
  seconds: 12,
  startedAt: SAMPLE_TIME,
};

/** An incoming call, ringing; also a plain record of its fields, for a form body or a query. */
export const CALL = callParams(SAMPLE_PARTIES, SAMPLE_CALL_SID, "ringing") as IncomingCall & Params;
const IN_PROGRESS = callParams(SAMPLE_PARTIES, SAMPLE_CALL_SID, "in-progress");

/** The action of a <Gather> in which the caller pressed `digits`, then `finishedOnKey`. */
export function gatherParams(digits: string, finishedOnKey = "#"): IncomingCall {
  return gatherDigitsParams(IN_PROGRESS, digits, finishedOnKey) as unknown as IncomingCall;
}

/** The action of a <Gather input="speech"> that heard `text`. */
export function speechParams(text: string, confidence = "0.9"): IncomingCall {
  return gatherSpeechParams(IN_PROGRESS, text, confidence) as unknown as IncomingCall;
}

/** The action of a <Dial> that ended with `status` after `seconds`. */
export function dialActionParams(status: DialCallStatus, seconds = 30): DialAction {
  return dialParams(IN_PROGRESS, status, "CA89abcdef0123456789abcdef01234567", status === "completed" ? seconds : 0) as unknown as DialAction;
}

/** The action of a <Record> that kept 12 seconds, ended with `digits` ("hangup" when the caller hung up). */
export function recordActionParams(digits = "#"): RecordAction {
  return recordParams(IN_PROGRESS, SAMPLE_RECORDING, digits) as unknown as RecordAction;
}

/** The <Record> recordingStatusCallback, once the recording is `status`. */
export function recordingStatusCallbackParams(status: RecordingStatusCallback["RecordingStatus"] = "completed"): RecordingStatusCallback {
  return recordingStatusParams(SAMPLE_PARTIES, SAMPLE_CALL_SID, SAMPLE_RECORDING, status) as unknown as RecordingStatusCallback;
}

/** The call's status callback once it is over, after `seconds`. */
export function callStatusParams(seconds = 42): CallStatusCallback {
  return statusCallbackParams(SAMPLE_PARTIES, SAMPLE_CALL_SID, "completed", seconds, SAMPLE_TIME) as unknown as CallStatusCallback;
}

/** An incoming SMS; with media URLs, an MMS as Twilio sends it (MediaUrl0, MediaContentType0, …). */
export function messageSample(body: string, mediaUrls: string[] = []): IncomingMessage {
  const params = messageParams(SAMPLE_PARTIES, body, mediaUrls);
  const sid = mediaUrls.length > 0 ? `MM${SAMPLE_MESSAGE_SID.slice(2)}` : SAMPLE_MESSAGE_SID;
  return { ...params, MessageSid: sid, SmsMessageSid: sid, SmsSid: sid } as unknown as IncomingMessage;
}

/** What the fallback URL gets when `url` failed with Twilio error `code`. */
export function fallbackParams(url: string, code = "11200"): FallbackParams {
  return { ...CALL, ErrorCode: code, ErrorUrl: url };
}
