/**
 * Webhook: voice — an incoming call, forwarded to the number in the setting FORWARD_TO.
 * Inputs: IncomingCall parameters; the setting FORWARD_TO (E.164; "" sends every call to voicemail).
 * Output: a <Dial> whose action, voice/voicemail, takes a message when nobody answers.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { japaneseSay, type IncomingCall, type TwilioRequest } from "../../runtime";

/** Seconds the forwarded line rings before the caller is offered voicemail. */
const RING_SECONDS = 20;

export default function forward(call: TwilioRequest<IncomingCall>): VoiceResponse {
  const twiml = new VoiceResponse();
  const to = call.setting("FORWARD_TO");
  if (to === "") {
    twiml.redirect({ method: "POST" }, call.urlFor("/voice/voicemail"));
    return twiml;
  }
  twiml.say(japaneseSay(call), "お電話ありがとうございます。担当者におつなぎします。");
  twiml.dial({ action: call.urlFor("/voice/voicemail"), method: "POST", timeout: RING_SECONDS }, to);
  return twiml;
}
