import { suite } from "uvu";
import * as assert from "uvu/assert";
import reply from "../functions/sms/reply";
import { incomingSms, XML_HEAD } from "../testkit";

const render = (body: string) => reply(incomingSms(body)).toString();

const sms = suite("sms/reply");

sms("quotes the text back in Japanese", () => {
  assert.is(render("予約を変更したいです"), `${XML_HEAD}<Response><Message>メッセージを受け付けました:「予約を変更したいです」</Message></Response>`);
});

sms("escapes XML and keeps Japanese, emoji, quotes and newlines intact", () => {
  assert.is(
    render(`<b>"ラーメン" & 'すし'</b> 🍣👍🏽\n2行目`),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「&lt;b&gt;"ラーメン" &amp; 'すし'&lt;/b&gt; 🍣👍🏽\n2行目」</Message></Response>`,
  );
});

// A lone surrogate cannot travel in a UTF-8 form, so it is not among them: the runtime answers 400 first.
sms("leaves out characters XML cannot hold, instead of failing", () => {
  assert.is(
    render("page\fbreak\u0000 and \u001b alone, 😀 kept\ttab"),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「pagebreak and  alone, 😀 kept\ttab」</Message></Response>`,
  );
});

sms("says so when the message has no text", () => {
  assert.is(render(""), `${XML_HEAD}<Response><Message>メッセージを受け付けました:(本文なし)</Message></Response>`);
});

sms("counts attached media", () => {
  const media = ["https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0", "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1"];
  assert.is(
    reply(incomingSms("写真です", { media })).toString(),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「写真です」画像など2件も受け取りました。</Message></Response>`,
  );
});

sms.run();
