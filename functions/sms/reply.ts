/**
 * Webhook: messaging — an incoming SMS or MMS (the number's "A message comes in" URL).
 * Inputs: IncomingMessage parameters (Body, NumMedia).
 * Output: a Japanese auto-reply quoting the text back; TwiML escapes it, emoji and all, and
 * characters XML cannot hold are left out.
 */
import MessagingResponse from "twilio/lib/twiml/MessagingResponse";
import { xmlText, type IncomingMessage, type TwilioRequest } from "../../runtime";

export default function reply(message: TwilioRequest<IncomingMessage>): MessagingResponse {
  const twiml = new MessagingResponse();
  const media = Number(message.params.NumMedia) || 0;
  const quoted = message.params.Body ? `「${xmlText(message.params.Body)}」` : "(本文なし)";
  const attachments = media > 0 ? `画像など${media}件も受け取りました。` : "";
  twiml.message(`メッセージを受け付けました:${quoted}${attachments}`);
  return twiml;
}
