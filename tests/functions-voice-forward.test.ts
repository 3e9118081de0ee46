import { suite } from "uvu";
import * as assert from "uvu/assert";
import forward from "../functions/voice/forward";
import { incomingCall, SAMPLE_HOST, XML_HEAD } from "../testkit";

const BASE = `https://${SAMPLE_HOST}/dev`;
const forwarding = suite("voice/forward");

forwarding("dials FORWARD_TO for 20 s, with voice/voicemail as the Dial's action", () => {
  assert.is(
    forward(incomingCall({ route: "/voice/forward", settings: { FORWARD_TO: "+81355550100" } })).toString(),
    `${XML_HEAD}<Response><Say language="ja-JP" voice="Polly.Kazuha-Neural">お電話ありがとうございます。担当者におつなぎします。</Say>` +
      `<Dial action="${BASE}/voice/voicemail" method="POST" timeout="20">+81355550100</Dial></Response>`,
  );
});

forwarding("an empty FORWARD_TO sends the call straight to voicemail", () => {
  assert.is(
    forward(incomingCall({ route: "/voice/forward", settings: { FORWARD_TO: "" } })).toString(),
    `${XML_HEAD}<Response><Redirect method="POST">${BASE}/voice/voicemail</Redirect></Response>`,
  );
});

forwarding("a stage that does not declare FORWARD_TO is an error naming the setting", () => {
  assert.throws(
    () => forward(incomingCall({ route: "/voice/forward" })),
    (err: Error) => err.message === "voice/forward reads the setting FORWARD_TO, which infra/stages.ts does not declare for it (settings).",
  );
});

forwarding.run();
