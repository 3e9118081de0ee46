/**
 * Webhook: voice — a keypad menu, and the action of its own <Gather>.
 * Inputs: IncomingCall parameters; Digits once the caller pressed a key; query `retry=1` on the second try.
 * Output: the menu, or where the chosen key leads; after two silent tries, goodbye.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { japaneseSay, type IncomingCall, type TwilioRequest } from "../../runtime";

export default function menu(call: TwilioRequest<IncomingCall>): VoiceResponse {
  const twiml = new VoiceResponse();
  const say = japaneseSay(call);
  switch (call.params.Digits) {
    case undefined:
    case "": {
      const retry = call.query.retry === "1";
      const gather = twiml.gather({ numDigits: 1, timeout: 5, action: call.urlFor("/voice/menu"), method: "POST" });
      gather.say(say, (retry ? "もう一度ご案内します。" : "") +
        "営業時間のご案内は1を、ごあいさつは2を、メニューの繰り返しは9を、終了は0を押してください。");
      if (retry) {
        twiml.say(say, "入力が確認できませんでした。お電話ありがとうございました。");
        twiml.hangup();
      } else {
        twiml.redirect({ method: "POST" }, call.urlFor("/voice/menu?retry=1"));
      }
      return twiml;
    }
    case "1":
      twiml.say(say, "営業時間は、平日の午前9時から午後6時までです。");
      twiml.hangup();
      return twiml;
    case "2":
      twiml.redirect({ method: "POST" }, call.urlFor("/voice/hello"));
      return twiml;
    case "9":
      twiml.redirect({ method: "POST" }, call.urlFor("/voice/menu"));
      return twiml;
    case "0":
      twiml.say(say, "お電話ありがとうございました。失礼いたします。");
      twiml.hangup();
      return twiml;
    default:
      twiml.say(say, "その番号はお選びいただけません。");
      twiml.redirect({ method: "POST" }, call.urlFor("/voice/menu"));
      return twiml;
  }
}
