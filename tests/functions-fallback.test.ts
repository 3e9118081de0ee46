import { suite } from "uvu";
import * as assert from "uvu/assert";
import apologise from "../functions/fallback";
import { fallback, XML_HEAD } from "../testkit";

const apology = suite("fallback");

apology("apologises by voice on a call, logs the error, and hangs up", () => {
  const req = fallback("https://example.jp/dev/voice/hello");
  assert.is(
    apologise(req).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてからおかけ直しください。</Say><Hangup/></Response>`,
  );
  assert.equal(req.logged, { errorCode: "11200", errorUrl: "https://example.jp/dev/voice/hello" });
});

apology("apologises by message to an SMS", () => {
  const req = fallback("https://example.jp/dev/sms/reply", { code: "12300", params: { CallSid: undefined, MessageSid: "SM0123456789abcdef0123456789abcdef", Body: "こんにちは" } });
  assert.is(
    apologise(req).toString(),
    `${XML_HEAD}<Response><Message>申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてから再度お送りください。</Message></Response>`,
  );
});

apology.run();
