import { suite } from "uvu";
import * as assert from "uvu/assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { runWebhook, type Webhook } from "../runtime/webhook";
import {
  CALL, dialResult, gatewayEvent, gatherResult, incomingCall, incomingSms, recordingStatus, recordResult, SAMPLE_HOST, SAMPLE_TIME, speechResult,
} from "../testkit";
import { testDeps } from "./helpers/events";

const requests = suite("testkit requests");

requests("an incoming call over POST is the request the runtime makes of the signed event", () => {
  const req = incomingCall({ route: "/voice/goodbye", stageVariables: { voice: "Google.ja-JP-Neural2-B" } });
  assert.is(req.method, "POST");
  assert.equal({ ...req.params }, { ...CALL }, "the sample parameters, as sent");
  assert.is(req.url, `https://${SAMPLE_HOST}/dev/voice/goodbye`);
  assert.is(req.urlFor("/voice/menu"), `https://${SAMPLE_HOST}/dev/voice/menu`);
  assert.equal(req.stageVariables, { voice: "Google.ja-JP-Neural2-B" });
});

requests("over GET the parameters travel in the query string, and a custom domain drops the stage", () => {
  const req = gatherResult("1", { method: "GET", route: "/voice/menu", publicBaseUrl: "https://voice.example.jp" });
  assert.is(req.method, "GET");
  assert.is(req.params.Digits, "1");
  assert.is(req.query.Digits, "1", "a GET's parameters are its query");
  assert.is(req.urlFor("/voice/menu"), "https://voice.example.jp/voice/menu");
});

requests("gatherResult, speechResult, dialResult, recordResult and recordingStatus carry the fields Twilio sends", () => {
  const gather = gatherResult("12", { finishedOnKey: "*" }).params;
  assert.equal([gather.Digits, gather.FinishedOnKey, gather.CallStatus], ["12", "*", "in-progress"]);
  assert.equal([speechResult("予約", { confidence: "0.8" }).params.SpeechResult, speechResult("予約").params.Confidence], ["予約", "0.9"]);
  const busy = dialResult("busy").params;
  assert.equal([busy.DialCallStatus, busy.DialCallDuration, busy.DialBridged], ["busy", "0", "false"]);
  assert.equal([dialResult("completed", { seconds: 75 }).params.DialCallDuration, dialResult("completed").params.DialBridged], ["75", "true"]);
  const recorded = recordResult({ digits: "hangup" }).params;
  assert.equal([recorded.RecordingDuration, recorded.Digits, recorded.RecordingSid], ["12", "hangup", "RE0123456789abcdef0123456789abcdef"]);
  assert.match(recorded.RecordingUrl, /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC0123456789abcdef0123456789abcdef\/Recordings\/RE0123456789abcdef0123456789abcdef$/);
  assert.equal([recordingStatus().params.RecordingStatus, recordingStatus({ status: "failed" }).params.RecordingStatus], ["completed", "failed"]);
});

requests("an SMS with media is an MMS: NumMedia, MediaUrlN and an MM SID", () => {
  const mms = incomingSms("写真です", { media: ["https://example.jp/a.jpg", "https://example.jp/b.png"] }).params;
  assert.equal([mms.Body, mms.NumMedia, mms.MediaUrl0, mms.MediaUrl1, mms.MessageSid.slice(0, 2)], ["写真です", "2", "https://example.jp/a.jpg", "https://example.jp/b.png", "MM"]);
  assert.is(incomingSms("こんにちは").params.NumMedia, "0");
});

requests("fetch and the clock are the test's: by default no network and the samples' time", async () => {
  const req = incomingCall();
  assert.is(req.now().toISOString(), SAMPLE_TIME.toISOString());
  const refused = await req.fetch("https://crm.example.jp/lookup").then(() => "fetched", (err: Error) => err.message);
  assert.is(refused, "This test made a request to https://crm.example.jp/lookup: pass a fetch to the test request to answer it.");
  const asked: string[] = [];
  const answering = incomingCall({ fetch: async (input) => (asked.push(String(input)), new Response("ok")), now: () => new Date("2026-12-24T12:00:00Z") });
  assert.is(await (await answering.fetch("https://crm.example.jp/a")).text(), "ok");
  assert.equal(asked, ["https://crm.example.jp/a"]);
  assert.is(answering.now().toISOString(), "2026-12-24T12:00:00.000Z");
});

requests("settings and secrets are the ones the test declares; another name is an error", () => {
  const req = incomingCall({ route: "/voice/forward", settings: { FORWARD_TO: "+815011112222" }, secrets: { CRM_API_KEY: "k" } });
  assert.is(req.setting("FORWARD_TO"), "+815011112222");
  assert.is(req.secret("CRM_API_KEY"), "k");
  assert.throws(() => req.setting("OTHER"), /voice\/forward reads the setting OTHER, which infra\/stages\.ts does not declare/);
});

const events = suite("testkit gatewayEvent");

events("its signature is one the runtime accepts, over POST and GET, and a wrong token is refused", async () => {
  const ok: Webhook = () => new VoiceResponse();
  const statuses = await Promise.all(
    [gatewayEvent({ params: { ...CALL } }), gatewayEvent({ method: "GET", params: { ...CALL } }), gatewayEvent({ params: { ...CALL }, token: "not-the-token" })].map(
      async (event) => (await runWebhook(ok, event, testDeps().deps)).statusCode,
    ),
  );
  assert.equal(statuses, [200, 200, 403]);
});

requests.run();
events.run();
