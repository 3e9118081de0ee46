import { suite } from "uvu";
import * as assert from "uvu/assert";
import hello from "../functions/voice/hello";
import { CALL, XML_HEAD, fakeRequest } from "./helpers/fake-request";

const greeting = suite("voice/hello");

greeting("greets in Japanese with the default neural voice", () => {
  const { req } = fakeRequest(CALL);
  assert.is(
    hello(req).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">こんにちは!ぼくはアリスです!</Say></Response>`,
  );
});

greeting("speaks with the voice the stage variable names", () => {
  const { req } = fakeRequest(CALL, { stageVariables: { voice: "Google.ja-JP-Neural2-B" } });
  assert.is(
    hello(req).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Google.ja-JP-Neural2-B">こんにちは!ぼくはアリスです!</Say></Response>`,
  );
});

greeting.run();
