/**
 * Webhook: voice — the call status callback (the number's "Call status changes" URL).
 * Inputs: CallStatusCallback parameters (CallStatus, CallDuration).
 * Output: an empty <Response/>; the status and duration go to the request's log line.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import type { CallStatusCallback, TwilioRequest } from "../../runtime";

export default function status(callback: TwilioRequest<CallStatusCallback>): VoiceResponse {
  callback.log({
    callStatus: callback.params.CallStatus,
    callDurationSeconds: callback.params.CallDuration === undefined ? undefined : Number(callback.params.CallDuration),
  });
  return new VoiceResponse();
}
