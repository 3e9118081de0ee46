import { suite } from "uvu";
import * as assert from "uvu/assert";
import reply from "../functions/sms/reply";
import { XML_HEAD, fakeRequest } from "./helpers/fake-request";

const MESSAGE = {
  MessageSid: "SM0123456789abcdef0123456789abcdef",
  AccountSid: "AC0123456789abcdef0123456789abcdef",
  From: "+819012345678",
  To: "+815098765432",
  Body: "",
  NumMedia: "0",
};

const render = (fields: Partial<typeof MESSAGE>) => reply(fakeRequest({ ...MESSAGE, ...fields }, { route: "/sms/reply" }).req).toString();

const sms = suite("sms/reply");

sms("quotes the text back in Japanese", () => {
  assert.is(render({ Body: "予約を変更したいです" }), `${XML_HEAD}<Response><Message>メッセージを受け付けました:「予約を変更したいです」</Message></Response>`);
});

sms("escapes XML and keeps Japanese, emoji, quotes and newlines intact", () => {
  assert.is(
    render({ Body: `<b>"ラーメン" & 'すし'</b> 🍣👍🏽\n2行目` }),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「&lt;b&gt;"ラーメン" &amp; 'すし'&lt;/b&gt; 🍣👍🏽\n2行目」</Message></Response>`,
  );
});

sms("leaves out characters XML cannot hold, instead of failing", () => {
  assert.is(
    render({ Body: "page\fbreak\u0000 and \ud83d alone, 😀 kept\ttab" }),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「pagebreak and  alone, 😀 kept\ttab」</Message></Response>`,
  );
});

sms("says so when the message has no text", () => {
  assert.is(render({ Body: "" }), `${XML_HEAD}<Response><Message>メッセージを受け付けました:(本文なし)</Message></Response>`);
});

sms("counts attached media", () => {
  assert.is(
    render({ Body: "写真です", NumMedia: "2" }),
    `${XML_HEAD}<Response><Message>メッセージを受け付けました:「写真です」画像など2件も受け取りました。</Message></Response>`,
  );
});

sms.run();
