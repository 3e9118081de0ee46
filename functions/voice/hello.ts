/**
 * Webhook: voice — an incoming call (the number's "A call comes in" URL).
 * Inputs: IncomingCall parameters; the stage variable `voice` picks the voice.
 * Output: a greeting in Japanese.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { japaneseSay, type IncomingCall, type TwilioRequest } from "../../runtime";

export default function hello(call: TwilioRequest<IncomingCall>): VoiceResponse {
  const twiml = new VoiceResponse();
  twiml.say(japaneseSay(call), "こんにちは!ぼくはアリスです!");
  return twiml;
}
