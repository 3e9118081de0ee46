/**
 * Fixture webhook of the reliability suites (not deployed): answers with the parameters it
 * received as JSON in a <Say>, and marks its log line so a suite can tell that it ran.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import type { Params, TwilioRequest } from "../../../../runtime";

export default function echo(req: TwilioRequest<Params>): VoiceResponse {
  req.log({ handlerRan: true });
  const twiml = new VoiceResponse();
  // Every character outside printable ASCII as a JSON \u escape: control characters the form
  // may carry cannot appear in XML 1.0, and the suite checks the XML escaping of the rest.
  twiml.say(JSON.stringify(req.params).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return twiml;
}
