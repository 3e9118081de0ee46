// The test kit for handler authors: a TwilioRequest for each webhook Twilio makes, over POST or
// GET, with stage variables, query, settings, secrets, fetch and the clock as the test wants
// them. Call the handler with it and compare the TwiML string (README: "Testing a webhook").
import type {
  CallStatusCallback, DialAction, DialCallStatus, FallbackParams, IncomingCall, IncomingMessage, RecordAction, RecordingStatusCallback,
} from "../runtime/twilio-params";
import { twilioRequest, type RequestOptions, type TestRequest } from "./requests";
import * as samples from "./samples";

export { gatewayEvent, twilioRequest, SAMPLE_HOST, SAMPLE_TOKEN, type EventOptions, type RequestOptions, type TestRequest } from "./requests";
export * from "./samples";

/** What every TwiML document starts with. */
export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** A call coming in (Twilio's request to the number's voice URL). */
export function incomingCall(options: RequestOptions<IncomingCall> = {}): TestRequest<IncomingCall> {
  return twilioRequest(samples.CALL, options);
}

/** The action of a <Gather> in which the caller pressed `digits` (then `finishedOnKey`, "#" by default). */
export function gatherResult(digits: string, { finishedOnKey, ...options }: RequestOptions<IncomingCall> & { finishedOnKey?: string } = {}): TestRequest<IncomingCall> {
  return twilioRequest(samples.gatherParams(digits, finishedOnKey), options);
}

/** The action of a <Gather input="speech"> in which the caller said `text`. */
export function speechResult(text: string, { confidence, ...options }: RequestOptions<IncomingCall> & { confidence?: string } = {}): TestRequest<IncomingCall> {
  return twilioRequest(samples.speechParams(text, confidence), options);
}

/** The action of a <Dial> that ended with `status` ("completed", "busy", "no-answer", …). */
export function dialResult(status: DialCallStatus, { seconds, ...options }: RequestOptions<DialAction> & { seconds?: number } = {}): TestRequest<DialAction> {
  return twilioRequest(samples.dialActionParams(status, seconds), options);
}

/** The action of a <Record>: the recording's URL, SID and length, and the key that ended it. */
export function recordResult({ digits, ...options }: RequestOptions<RecordAction> & { digits?: string } = {}): TestRequest<RecordAction> {
  return twilioRequest(samples.recordActionParams(digits), options);
}

/** The recordingStatusCallback of a <Record>, once the recording is `status` ("completed" by default). */
export function recordingStatus(
  { status, ...options }: RequestOptions<RecordingStatusCallback> & { status?: RecordingStatusCallback["RecordingStatus"] } = {},
): TestRequest<RecordingStatusCallback> {
  return twilioRequest(samples.recordingStatusCallbackParams(status), options);
}

/** An SMS coming in; with `media` URLs, an MMS. */
export function incomingSms(body: string, { media, ...options }: RequestOptions<IncomingMessage> & { media?: string[] } = {}): TestRequest<IncomingMessage> {
  return twilioRequest(samples.messageSample(body, media), { route: "/sms/reply", ...options });
}

/** The call's status callback once it is over. */
export function callStatus({ seconds, ...options }: RequestOptions<CallStatusCallback> & { seconds?: number } = {}): TestRequest<CallStatusCallback> {
  return twilioRequest(samples.callStatusParams(seconds), { route: "/call/status", ...options });
}

/** What the fallback URL gets when the webhook at `failedUrl` failed with Twilio error `code`. */
export function fallback(failedUrl: string, { code, ...options }: RequestOptions<FallbackParams> & { code?: string } = {}): TestRequest<FallbackParams> {
  return twilioRequest(samples.fallbackParams(failedUrl, code), { route: "/fallback", ...options });
}
