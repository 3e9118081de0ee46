// A unit test as the README shows it: the handler called with the request Twilio would make.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import hello from "../functions/voice/hello";
import { incomingCall, XML_HEAD } from "../testkit";

const greeting = suite("voice/hello");

greeting("greets in Japanese with the default neural voice", () => {
  assert.is(
    hello(incomingCall()).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">こんにちは!ぼくはアリスです!</Say></Response>`,
  );
});

greeting("speaks with the voice the stage variable names, over GET as well", () => {
  assert.is(
    hello(incomingCall({ method: "GET", stageVariables: { voice: "Google.ja-JP-Neural2-B" } })).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Google.ja-JP-Neural2-B">こんにちは!ぼくはアリスです!</Say></Response>`,
  );
});

greeting.run();
