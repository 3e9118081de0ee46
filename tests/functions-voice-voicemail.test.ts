import { suite } from "uvu";
import * as assert from "uvu/assert";
import voicemail from "../functions/voice/voicemail";
import { dialResult, incomingCall, recordResult, SAMPLE_HOST, XML_HEAD } from "../testkit";

const BASE = `https://${SAMPLE_HOST}/dev`;
const SAY = '<Say language="ja-JP" voice="Polly.Kazuha-Neural">';
const RECORD =
  `${SAY}ただいま電話に出ることができません。発信音のあとにメッセージをどうぞ。終わりましたらシャープを押してください。</Say>` +
  `<Record action="${BASE}/voice/voicemail" method="POST" maxLength="120" finishOnKey="#" ` +
  `recordingStatusCallback="${BASE}/recording/notify" recordingStatusCallbackMethod="POST"/>` +
  `${SAY}メッセージが録音されませんでした。失礼いたします。</Say><Hangup/>`;
const route = { route: "/voice/voicemail" };

const messages = suite("voice/voicemail");

for (const status of ["busy", "no-answer", "failed", "canceled"] as const) {
  messages(`a Dial that ended ${status} offers a recording, recording/notify as its status callback`, () => {
    assert.is(voicemail(dialResult(status, route)).toString(), `${XML_HEAD}<Response>${RECORD}</Response>`);
  });
}

messages("a call sent here by voice/forward (no Dial) records as well", () => {
  assert.is(voicemail(incomingCall(route)).toString(), `${XML_HEAD}<Response>${RECORD}</Response>`);
});

messages("a Dial that was answered ends the call: the parties have spoken", () => {
  assert.is(voicemail(dialResult("completed", route)).toString(), `${XML_HEAD}<Response><Hangup/></Response>`);
});

messages("the Record's own action thanks the caller and hangs up", () => {
  assert.is(voicemail(recordResult(route)).toString(), `${XML_HEAD}<Response>${SAY}メッセージを承りました。失礼いたします。</Say><Hangup/></Response>`);
});

messages.run();
