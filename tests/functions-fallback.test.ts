import { suite } from "uvu";
import * as assert from "uvu/assert";
import fallback from "../functions/fallback";
import { CALL, XML_HEAD, fakeRequest } from "./helpers/fake-request";

const apology = suite("fallback");

apology("apologises by voice on a call, logs the error, and hangs up", () => {
  const { req, logged } = fakeRequest({ ...CALL, ErrorCode: "11200", ErrorUrl: "https://example.jp/dev/voice/hello" }, { route: "/fallback" });
  assert.is(
    fallback(req).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてからおかけ直しください。</Say><Hangup/></Response>`,
  );
  assert.equal(logged, { errorCode: "11200", errorUrl: "https://example.jp/dev/voice/hello" });
});

apology("apologises by message to an SMS", () => {
  const { req } = fakeRequest({ MessageSid: "SM0123456789abcdef0123456789abcdef", From: "+819012345678", To: "+815098765432", Body: "こんにちは", ErrorCode: "12300" }, { route: "/fallback" });
  assert.is(
    fallback(req).toString(),
    `${XML_HEAD}<Response><Message>申し訳ございません。ただいまシステムに問題が発生しております。しばらくしてから再度お送りください。</Message></Response>`,
  );
});

apology.run();
