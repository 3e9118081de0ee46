// simulateCall's <Dial> and <Record>, held to Twilio's documentation of both verbs:
// twilio.com/docs/voice/twiml/dial (action, DialCallStatus values, "without an action Twilio
// continues with the next verb") and twilio.com/docs/voice/twiml/record (action or the current
// document URL, "an empty recording goes on with the next verb", recordingStatusCallback,
// transcribeCallback). Recorded Record actions carry Digits=hangup when the caller hung up.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { simulateCall } from "../local/simulator/call";
import type { SimEvent } from "../local/simulator/transcript";
import { toText } from "../local/simulator/transcript";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const said = (events: SimEvent[]) => events.flatMap((e) => (e.event === "say" ? [e.text] : []));
const added = (params: Record<string, string>, base: Record<string, string>) =>
  Object.fromEntries(Object.entries(params).filter(([name, value]) => base[name] !== value));
const paths = (fixture: Fixture) => fixture.received.map((r) => `${r.method} ${r.path.split("?")[0]}`);
const AT = new Date(Date.UTC(2026, 11, 1, 10, 15, 0));

// ---------------------------------------------------------------------------------------------
const dial = suite<{ server: Fixture }>("simulateCall: <Dial> ends as --dial says");

dial.before(async (ctx) => {
  ctx.server = await startFixture({
    "/transfer": () => twiml(`<Say>おつなぎします。</Say><Dial action="/after-dial" method="GET" timeout="15"><Number>+81355550100</Number></Dial><Say>never</Say>`),
    "/after-dial": (params) => twiml(`<Say>${params.DialCallStatus}</Say>`),
    "/no-action": () => twiml(`<Dial>+81355550100</Dial><Say>Dial is over.</Say>`),
  });
});
dial.before.each((ctx) => void (ctx.server.received.length = 0));
dial.after(async (ctx) => ctx.server.close());

dial("busy: the action hears DialCallStatus=busy, a DialCallSid, no duration and no bridge", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/transfer`, { authToken: TOKEN, dial: "busy" });
  const [call, action] = ctx.server.received;
  assert.equal(paths(ctx.server), ["POST /transfer", "GET /after-dial"], "the action is requested with its own method");
  assert.equal(added(action.params, call.params), {
    CallStatus: "in-progress",
    DialCallStatus: "busy",
    DialCallSid: action.params.DialCallSid,
    DialCallDuration: "0",
    DialBridged: "false",
  });
  assert.match(action.params.DialCallSid, /^CA[0-9a-f]{32}$/);
  assert.is.not(action.params.DialCallSid, call.params.CallSid, "the dialed call is a call of its own");
  assert.is(action.signatureValid, true);
  assert.equal(said(result.events), ["おつなぎします。", "busy"], "verbs after a Dial with an action are never reached");
});

dial("completed (the default): the other party answers, talks and hangs up; the action hears the bridge", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/transfer`, { authToken: TOKEN });
  const action = ctx.server.received[1];
  assert.equal([action.params.DialCallStatus, action.params.DialCallDuration, action.params.DialBridged], ["completed", "30", "true"]);
  assert.equal(result.events.find((e) => e.event === "dial"), { event: "dial", to: "Number +81355550100", status: "completed", seconds: 30 });
});

dial("no-answer rings for the Dial's timeout; failed and canceled end at once", async (ctx) => {
  for (const [outcome, line] of [
    ["no-answer", "  Twilio dials Number +81355550100: does not answer (15 s)"],
    ["failed", "  Twilio dials Number +81355550100: failed"],
    ["canceled", "  Twilio dials Number +81355550100: canceled"],
  ] as const) {
    const result = await simulateCall(`${ctx.server.base}/transfer`, { authToken: TOKEN, dial: outcome });
    assert.is(toText(result.events.find((e) => e.event === "dial")!), line);
    assert.is(ctx.server.received.at(-1)!.params.DialCallStatus, outcome);
  }
});

dial("without an action the call goes on with the verb after the Dial", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/no-action`, { authToken: TOKEN, dial: "no-answer" });
  assert.equal(paths(ctx.server), ["POST /no-action"]);
  assert.equal(said(result.events), ["Dial is over."]);
});

dial.run();

// ---------------------------------------------------------------------------------------------
const record = suite<{ server: Fixture }>("simulateCall: <Record> takes what --record says");

record.before(async (ctx) => {
  ctx.server = await startFixture({
    "/voicemail": () =>
      twiml(
        `<Say>発信音のあとにどうぞ。</Say><Record action="/saved" maxLength="30" timeout="3" recordingStatusCallback="/recording" transcribeCallback="/transcript"/><Say>録音できませんでした。</Say>`,
      ),
    "/saved": (params) => twiml(`<Say>${params.RecordingDuration}秒の録音を受け付けました。</Say>`),
    "/recording": () => ({ status: 204 }),
    "/transcript": () => ({ status: 204 }),
    "/self": (params) => twiml(params.RecordingUrl ? `<Say>saved</Say>` : `<Record recordingStatusCallback="/recording" recordingStatusCallbackEvent="in-progress completed absent"/><Say>empty</Say>`),
    "/long": () => twiml(`<Record action="/saved" maxLength="130" transcribeCallback="/transcript"/>`),
    "/hash": () => twiml(`<Record action="/saved" finishOnKey="#" timeout="4"/>`),
  });
});
record.before.each((ctx) => void (ctx.server.received.length = 0));
record.after(async (ctx) => ctx.server.close());

record("5 seconds: the action gets the recording, then the status and transcription callbacks arrive", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/voicemail`, { authToken: TOKEN, record: [{ seconds: 5, words: "折り返しお願いします" }], now: () => AT });
  assert.equal(paths(ctx.server), ["POST /voicemail", "POST /saved", "POST /recording", "POST /transcript"]);
  const [call, action, status, transcript] = ctx.server.received;
  const sid = action.params.RecordingSid;
  assert.match(sid, /^RE[0-9a-f]{32}$/);
  const url = `https://api.twilio.com/2010-04-01/Accounts/${call.params.AccountSid}/Recordings/${sid}`;
  assert.equal(added(action.params, call.params), { CallStatus: "in-progress", RecordingUrl: url, RecordingSid: sid, RecordingDuration: "5", Digits: "" });
  assert.equal(status.params, {
    AccountSid: call.params.AccountSid,
    CallSid: call.params.CallSid,
    RecordingSid: sid,
    RecordingUrl: url,
    RecordingStatus: "completed",
    RecordingDuration: "5",
    RecordingChannels: "1",
    RecordingStartTime: "Tue, 01 Dec 2026 10:15:00 +0000",
    RecordingSource: "RecordVerb",
    RecordingTrack: "inbound",
  });
  const transcriptionSid = transcript.params.TranscriptionSid;
  assert.equal(added(transcript.params, call.params), {
    CallStatus: "completed",
    TranscriptionSid: transcriptionSid,
    TranscriptionText: "折り返しお願いします",
    TranscriptionStatus: "completed",
    TranscriptionUrl: `https://api.twilio.com/2010-04-01/Accounts/${call.params.AccountSid}/Transcriptions/${transcriptionSid}`,
    RecordingSid: sid,
    RecordingUrl: url,
  });
  assert.equal(said(result.events), ["発信音のあとにどうぞ。", "5秒の録音を受け付けました。"]);
  assert.ok(ctx.server.received.every((r) => r.signatureValid), "every callback is signed");
  assert.equal(result.events.filter((e) => e.event === "record" || e.event === "speak").map(toText), [
    `  Twilio records (beep), up to 30 s, 3 s of silence or 1234567890*# ends → POST ${ctx.server.base}/saved`,
    "  Caller speaks 5 s: 折り返しお願いします",
  ]);
});

record("0 seconds is an empty recording: no action, the next verb runs, and only an asked-for absent callback is sent", async (ctx) => {
  const empty = await simulateCall(`${ctx.server.base}/voicemail`, { authToken: TOKEN, record: [{ seconds: 0 }] });
  assert.equal(paths(ctx.server), ["POST /voicemail"]);
  assert.equal(said(empty.events), ["発信音のあとにどうぞ。", "録音できませんでした。"]);
  ctx.server.received.length = 0;
  const absent = await simulateCall(`${ctx.server.base}/self`, { authToken: TOKEN, record: [{ seconds: 0 }] });
  assert.equal(paths(ctx.server), ["POST /self", "POST /recording"]);
  assert.equal([ctx.server.received[1].params.RecordingStatus, ctx.server.received[1].params.RecordingDuration], ["absent", "0"]);
  assert.equal(said(absent.events), ["empty"]);
});

record("without an action the current document is requested again; in-progress comes before completed when asked", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/self`, { authToken: TOKEN, record: [{ seconds: 4 }] });
  assert.equal(paths(ctx.server), ["POST /self", "POST /self", "POST /recording", "POST /recording"]);
  assert.equal(ctx.server.received.slice(2).map((r) => r.params.RecordingStatus), ["in-progress", "completed"]);
  assert.equal(said(result.events), ["saved"]);
});

record("maxLength caps the recording, and a transcription of more than two minutes fails", async (ctx) => {
  await simulateCall(`${ctx.server.base}/long`, { authToken: TOKEN, record: [{ seconds: 200, words: "長い話" }] });
  const [, action, transcript] = ctx.server.received;
  assert.is(action.params.RecordingDuration, "130");
  assert.equal([transcript.params.TranscriptionStatus, transcript.params.TranscriptionText], ["failed", undefined]);
});

record("a caller who hangs up after speaking: the action still comes, with Digits=hangup and the call completed, and its TwiML is not run", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/voicemail`, {
    authToken: TOKEN, record: [{ seconds: 7, end: "hangup" }], statusUrl: `${ctx.server.base}/recording`,
  });
  assert.equal(paths(ctx.server), ["POST /voicemail", "POST /saved", "POST /recording", "POST /transcript", "POST /recording"], "action, recording status, transcription, call status");
  const [call, action, , , status] = ctx.server.received;
  assert.equal([action.params.Digits, action.params.CallStatus, action.params.RecordingDuration], ["hangup", "completed", "7"]);
  assert.equal(said(result.events), ["発信音のあとにどうぞ。"], "the action's answer is not carried out: the caller is gone");
  assert.equal(result.events.filter((e) => e.event === "hangup"), [{ event: "hangup", by: "caller", reason: "after the recording" }]);
  assert.equal([status.params.CallStatus, status.params.CallSid], ["completed", call.params.CallSid]);
  assert.is(status.params.CallDuration, "9", "11 characters of greeting at 7 a second and 7 s of message, with no silence timeout");
});

record("a finish key ends the recording at once and is sent as Digits; a key that is not a finish key is ignored", async (ctx) => {
  const keyed = await simulateCall(`${ctx.server.base}/hash`, { authToken: TOKEN, record: [{ seconds: 6, end: "#" }] });
  assert.is(ctx.server.received[1].params.Digits, "#");
  assert.equal(keyed.status, "completed");
  ctx.server.received.length = 0;
  await simulateCall(`${ctx.server.base}/hash`, { authToken: TOKEN, record: [{ seconds: 6, end: "*" }] });
  assert.is(ctx.server.received[1].params.Digits, "", "* does not end a recording whose finishOnKey is #");
});

record("with nothing left to say, the caller hangs up at the beep", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/voicemail`, { authToken: TOKEN });
  assert.equal(result.events.find((e) => e.event === "hangup"), { event: "hangup", by: "caller", reason: "no more recordings to speak" });
  assert.equal(paths(ctx.server), ["POST /voicemail"]);
});

record.run();
