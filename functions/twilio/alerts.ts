/**
 * Webhook: the account's Debugger webhook (Twilio console, Monitor > Logs > Errors > Webhook),
 * which Twilio posts each error and warning alert to (11200, 12100, 12300, …).
 * Inputs: DebuggerEvent parameters (Sid, Level, Payload with error_code, resource_sid, more_info).
 * Output: an empty <Response/>; the alert goes to the request's log line, which a metric filter counts by code.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { alertLogFields, type DebuggerEvent, type TwilioRequest } from "../../runtime";

export default function alerts(req: TwilioRequest<DebuggerEvent>): VoiceResponse {
  req.log(alertLogFields(req.params));
  return new VoiceResponse();
}
