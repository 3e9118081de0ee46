/**
 * Webhook: voice and messaging — the fallback URL, which Twilio calls when the main webhook failed.
 * Inputs: the original parameters plus ErrorCode and ErrorUrl.
 * Output: an apology in Japanese: spoken on a call, sent as a message to an SMS.
 */
import MessagingResponse from "twilio/lib/twiml/MessagingResponse";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { japaneseSay, type FallbackParams, type TwilioRequest } from "../runtime";

const APOLOGY = "申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてからおかけ直しください。";
const APOLOGY_SMS = "申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてから再度お送りください。";

export default function fallback(req: TwilioRequest<FallbackParams>): VoiceResponse | MessagingResponse {
  req.log({ errorCode: req.params.ErrorCode, errorUrl: req.params.ErrorUrl });
  if ("MessageSid" in req.params || "SmsSid" in req.params) {
    const twiml = new MessagingResponse();
    twiml.message(APOLOGY_SMS);
    return twiml;
  }
  const twiml = new VoiceResponse();
  twiml.say(japaneseSay(req), APOLOGY);
  twiml.hangup();
  return twiml;
}
