// The five starter webhooks as the floor writes them: TwiML as template strings. Each must answer
// the bench's sample request with exactly the bytes denwa's handler answers (the bench checks).
import { DEFAULT_VOICE } from "../../../contract";
import type { FloorRequest } from "./runtime";

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const say = (req: FloorRequest, text: string) =>
  `<Say language="ja-JP" voice="${escape(req.stageVariables.voice || DEFAULT_VOICE)}">${escape(text)}</Say>`;
const redirect = (url: string) => `<Redirect method="POST">${escape(url)}</Redirect>`;

export function voiceHello(req: FloorRequest): string {
  return `${XML}<Response>${say(req, "こんにちは!ぼくはアリスです!")}</Response>`;
}

export function voiceMenu(req: FloorRequest): string {
  const menu = `${req.base}/voice/menu`;
  switch (req.params.get("Digits") ?? "") {
    case "": {
      const retry = req.query.retry === "1";
      const prompt = (retry ? "もう一度ご案内します。" : "") +
        "営業時間のご案内は1を、ごあいさつは2を、メニューの繰り返しは9を、終了は0を押してください。";
      const gather = `<Gather numDigits="1" timeout="5" action="${escape(menu)}" method="POST">${say(req, prompt)}</Gather>`;
      const after = retry ? `${say(req, "入力が確認できませんでした。お電話ありがとうございました。")}<Hangup/>` : redirect(`${menu}?retry=1`);
      return `${XML}<Response>${gather}${after}</Response>`;
    }
    case "1":
      return `${XML}<Response>${say(req, "営業時間は、平日の午前9時から午後6時までです。")}<Hangup/></Response>`;
    case "2":
      return `${XML}<Response>${redirect(`${req.base}/voice/hello`)}</Response>`;
    case "9":
      return `${XML}<Response>${redirect(menu)}</Response>`;
    case "0":
      return `${XML}<Response>${say(req, "お電話ありがとうございました。失礼いたします。")}<Hangup/></Response>`;
    default:
      return `${XML}<Response>${say(req, "その番号はお選びいただけません。")}${redirect(menu)}</Response>`;
  }
}

export function smsReply(req: FloorRequest): string {
  const body = req.params.get("Body");
  const media = Number(req.params.get("NumMedia")) || 0;
  const text = `メッセージを受け付けました:${body ? `「${body}」` : "(本文なし)"}${media > 0 ? `画像など${media}件も受け取りました。` : ""}`;
  return `${XML}<Response><Message>${escape(text)}</Message></Response>`;
}

export function callStatus(): string {
  return `${XML}<Response/>`;
}

export function fallback(req: FloorRequest): string {
  if (req.params.has("MessageSid") || req.params.has("SmsSid")) {
    return `${XML}<Response><Message>申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてから再度お送りください。</Message></Response>`;
  }
  return `${XML}<Response>${say(req, "申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてからおかけ直しください。")}<Hangup/></Response>`;
}
