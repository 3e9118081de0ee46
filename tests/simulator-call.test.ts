import { suite } from "uvu";
import * as assert from "uvu/assert";
import hello from "../functions/voice/hello";
import menu from "../functions/voice/menu";
import { scriptedKeypad, simulateCall, type CallOptions } from "../local/simulator/call";
import type { SimEvent } from "../local/simulator/transcript";
import { toText } from "../local/simulator/transcript";
import { startFunctionServer, type FunctionServer } from "./helpers/function-server";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const said = (events: SimEvent[]) => events.flatMap((e) => (e.event === "say" ? [e.text] : []));
const requests = (events: SimEvent[], base: string) =>
  events.flatMap((e) => (e.event === "request" ? [`${e.purpose} ${e.method} ${e.url.replace(base, "")} ${e.status}`] : []));
const last = (events: SimEvent[]) => events[events.length - 1];
/** The parameters a request carries beyond (or unlike) the call's first request. */
const added = (params: Record<string, string>, base: Record<string, string>) =>
  Object.fromEntries(Object.entries(params).filter(([name, value]) => base[name] !== value));

const PROMPT = "営業時間のご案内は1を、ごあいさつは2を、メニューの繰り返しは9を、終了は0を押してください。";
const GREETING = "こんにちは!ぼくはアリスです!";

// ---------------------------------------------------------------------------------------------
const starter = suite<{ server: FunctionServer }>("simulateCall: every branch of the starter voice/menu");

starter.before(async (ctx) => {
  ctx.server = await startFunctionServer({ "/voice/hello": hello, "/voice/menu": menu }, TOKEN);
});
starter.after(async (ctx) => ctx.server.close());

const walk = (ctx: { server: FunctionServer }, route: string, digits: string[], extra: Partial<CallOptions> = {}) =>
  simulateCall(`${ctx.server.base}${route}`, { authToken: TOKEN, keypad: scriptedKeypad(digits), ...extra });

starter("voice/hello speaks the Japanese greeting in the Japanese voice, then the document ends", async (ctx) => {
  const result = await walk(ctx, "/voice/hello", []);
  const say = result.events.find((e) => e.event === "say");
  assert.equal(say, { event: "say", text: GREETING, voice: "Polly.Kazuha-Neural", language: "ja-JP", loop: 1 });
  assert.equal(result.events.find((e) => e.event === "hangup"), { event: "hangup", by: "twilio", reason: "end of the document" });
  assert.is(result.failed, false, "a signed call to the starter is accepted");
  assert.is(result.status, "completed");
});

starter("1 gives the business hours and hangs up", async (ctx) => {
  const result = await walk(ctx, "/voice/menu", ["1"]);
  assert.equal(said(result.events), [PROMPT, "営業時間は、平日の午前9時から午後6時までです。"]);
  assert.equal(requests(result.events, ctx.server.base), ["call POST /voice/menu 200", "gather POST /voice/menu 200"], "the Gather action is the stage-aware menu URL");
  assert.ok(result.events.some((e) => e.event === "keys" && e.digits === "1" && e.finishedOnKey === ""), "the caller's key is in the transcript");
  assert.equal(result.events.find((e) => e.event === "hangup"), { event: "hangup", by: "twilio", reason: "<Hangup>" });
});

starter("2 redirects to the greeting", async (ctx) => {
  const result = await walk(ctx, "/voice/menu", ["2"]);
  assert.equal(said(result.events), [PROMPT, GREETING]);
  assert.equal(requests(result.events, ctx.server.base), ["call POST /voice/menu 200", "gather POST /voice/menu 200", "redirect POST /voice/hello 200"]);
});

starter("9 repeats the menu, then 0 says goodbye", async (ctx) => {
  const result = await walk(ctx, "/voice/menu", ["9", "0"]);
  assert.equal(said(result.events), [PROMPT, PROMPT, "お電話ありがとうございました。失礼いたします。"]);
  assert.equal(requests(result.events, ctx.server.base), [
    "call POST /voice/menu 200",
    "gather POST /voice/menu 200",
    "redirect POST /voice/menu 200",
    "gather POST /voice/menu 200",
  ]);
});

starter("no input: the Gather times out, the menu repeats once, then goodbye", async (ctx) => {
  const result = await walk(ctx, "/voice/menu", ["", ""]);
  assert.equal(said(result.events), [PROMPT, "もう一度ご案内します。" + PROMPT, "入力が確認できませんでした。お電話ありがとうございました。"]);
  assert.equal(requests(result.events, ctx.server.base), ["call POST /voice/menu 200", "redirect POST /voice/menu?retry=1 200"], "silence goes on after the Gather, to its Redirect");
  assert.equal(result.events.filter((e) => e.event === "silence"), [{ event: "silence", seconds: 5 }, { event: "silence", seconds: 5 }]);
  assert.is(last(result.events).event, "end");
});

starter("an unknown key is refused and the menu comes back; the caller then hangs up", async (ctx) => {
  const result = await walk(ctx, "/voice/menu", ["5"]);
  assert.equal(said(result.events), [PROMPT, "その番号はお選びいただけません。", PROMPT]);
  assert.equal(result.events.find((e) => e.event === "hangup"), { event: "hangup", by: "caller", reason: "no more digits to press" });
  assert.is(result.failed, false);
});

starter("a wrong auth token gets 403 from the signature check, and the transcript says so", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/voice/hello`, { authToken: "not-the-token" });
  assert.equal(requests(result.events, ctx.server.base), ["call POST /voice/hello 403"]);
  const error = result.events.find((e) => e.event === "error");
  assert.ok(error && error.event === "error" && error.code === 11200, "a 403 is Twilio's HTTP retrieval failure");
  assert.match(toText(error!), /error 11200 HTTP retrieval failure: POST http:\/\/127\.0\.0\.1:\d+\/dev\/voice\/hello answered HTTP 403 \(is the auth token the one the server checks signatures with\?\): The X-Twilio-Signature header does not match this request\./);
  assert.is(result.failed, true, "the call ended on an error");
});

starter("an unknown route gets API Gateway's 403, and the transcript does not blame the auth token", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/voice/nowhere`, { authToken: TOKEN });
  const error = result.events.find((e) => e.event === "error");
  assert.is(error && toText(error), `  error 11200 HTTP retrieval failure: POST ${ctx.server.base}/voice/nowhere answered HTTP 403 (API Gateway has no route for this method and path; check the URL and the stage): {"message":"Missing Authentication Token"}`);
});

starter.run();

// ---------------------------------------------------------------------------------------------
const gather = suite<{ server: Fixture }>("simulateCall: Gather as Twilio runs it");

gather.before(async (ctx) => {
  ctx.server = await startFixture({
    "/ivr/start": () =>
      twiml(`<Gather action="next?step=2" method="GET" finishOnKey="#"><Say>Enter your code.</Say><Pause/></Gather><Say>No code.</Say>`),
    "/ivr/empty": () => twiml(`<Gather action="/ivr/next" actionOnEmptyResult="true" timeout="3"/><Say>never reached</Say>`),
    "/ivr/next": (params) => twiml(`<Say>Got ${params.SpeechResult ?? (params.Digits || "nothing")}.</Say><Hangup/>`),
    "/ivr/four": () => twiml(`<Gather numDigits="4" finishOnKey=""/>`),
    "/ivr/speech": () => twiml(`<Gather input="speech" action="/ivr/next"/><Say>Nothing heard.</Say>`),
    "/ivr/either": () => twiml(`<Gather input="dtmf speech" numDigits="1" action="/ivr/either"/>`),
  });
});
gather.before.each((ctx) => void (ctx.server.received.length = 0));
gather.after(async (ctx) => ctx.server.close());

gather("the action resolves relative to the document, GET puts Digits in a signed query, # ends the input", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/start`, { authToken: TOKEN, keypad: scriptedKeypad(["12#9"]) });
  const action = ctx.server.received[1];
  assert.is(action.method, "GET");
  assert.ok(action.path.startsWith("/ivr/next?step=2&"), "the action's own query comes first, then the call parameters");
  assert.is(action.params.Digits, "12", "digits up to the finish key are sent");
  assert.is(action.params.FinishedOnKey, "#");
  assert.is(action.params.CallStatus, "in-progress");
  assert.is(action.params.msg, "Gather End");
  assert.is(action.signatureValid, true, "the full GET URL is signed");
  assert.equal(said(result.events), ["Enter your code.", "Got 12."], "the nested prompt is spoken, then the action's TwiML");
  assert.ok(result.events.some((e) => e.event === "pause" && e.seconds === 1), "a nested Pause is part of the prompt");
});

gather("numDigits ends the input at the last digit, and extra keys are not sent", async (ctx) => {
  await simulateCall(`${ctx.server.base}/ivr/four`, { authToken: TOKEN, keypad: scriptedKeypad(["123456"]) });
  assert.is(ctx.server.received.at(-1)!.params.Digits, "1234");
  assert.is(ctx.server.received.at(-1)!.params.FinishedOnKey, "");
});

gather("actionOnEmptyResult requests the action with empty Digits after the timeout", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/empty`, { authToken: TOKEN, keypad: scriptedKeypad([""]) });
  assert.is(ctx.server.received.at(-1)!.params.Digits, "");
  assert.equal(said(result.events), ["Got nothing."]);
  assert.equal(result.events.filter((e) => e.event === "silence"), [{ event: "silence", seconds: 3 }]);
});

gather("without actionOnEmptyResult, silence goes on with the verb after the Gather", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/start`, { authToken: TOKEN, keypad: scriptedKeypad([""]) });
  assert.equal(said(result.events), ["Enter your code.", "No code."]);
  assert.is(ctx.server.received.length, 1, "no action request is made");
});

gather("a speech-only Gather with nothing to say ignores keys: silence, and the scripted digit is kept for later", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/speech`, { authToken: TOKEN, keypad: scriptedKeypad(["1"]) });
  assert.equal(said(result.events), ["Nothing heard."]);
  assert.is(ctx.server.received.length, 1, "no action request is made");
  assert.ok(result.events.some((e) => e.event === "warning" && e.message === "The call ended before these digits were pressed: 1."));
});

// The Gather action's parameters: twilio.com/docs/voice/twiml/gather#action; msg="Gather End" as recorded Gather actions carry it.
gather("--speech answers a speech Gather with SpeechResult, Confidence and msg, and no Digits", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/speech`, { authToken: TOKEN, speech: ["予約をお願いします"] });
  const [call, action] = ctx.server.received;
  assert.equal(added(action.params, call.params), { CallStatus: "in-progress", SpeechResult: "予約をお願いします", Confidence: "0.9", msg: "Gather End" });
  assert.equal(said(result.events), ["Got 予約をお願いします."], "the action's TwiML runs");
  assert.equal(result.events.find((e) => e.event === "speech"), { event: "speech", text: "予約をお願いします", confidence: "0.9" });
});

gather("speech and recordings left over when the call ends are reported, like digits", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/four`, { authToken: TOKEN, digits: ["1234"], speech: ["はい", "いいえ"], record: [{ seconds: 3 }] });
  assert.equal(result.events.filter((e) => e.event === "warning").map((e) => e.event === "warning" && e.message), [
    "The call ended before these were said: はい / いいえ.",
    "The call ended before 1 of the scripted recordings.",
  ]);
});

gather('input="dtmf speech" takes the scripted speech first, and keys once the speech runs out', async (ctx) => {
  await simulateCall(`${ctx.server.base}/ivr/either`, { authToken: TOKEN, speech: ["はい"], digits: ["2"] });
  const actions = ctx.server.received.slice(1).map((r) => [r.params.SpeechResult, r.params.Digits, r.params.FinishedOnKey, r.params.msg]);
  assert.equal(actions, [["はい", undefined, undefined, "Gather End"], [undefined, "2", "", "Gather End"]]);
});

gather("digits left over when the call ends are reported", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/ivr/empty`, { authToken: TOKEN, keypad: scriptedKeypad(["1", "2", "3"]) });
  assert.ok(
    result.events.some((e) => e.event === "warning" && e.message === "The call ended before these digits were pressed: 2, 3."),
    "unused --digits entries are named",
  );
});

gather("--param adds CallerName and replaces From in every request, as `twilio webhook:invoke -d` does", async (ctx) => {
  const params = { CallerName: "ヤマダ タロウ", From: "+819011112222", ForwardedFrom: "+815055556666" };
  await simulateCall(`${ctx.server.base}/ivr/start`, { authToken: TOKEN, digits: ["1#"], params });
  assert.equal(ctx.server.received.map((r) => [r.params.CallerName, r.params.From, r.params.ForwardedFrom, r.signatureValid]), [
    ["ヤマダ タロウ", "+819011112222", "+815055556666", true],
    ["ヤマダ タロウ", "+819011112222", "+815055556666", true],
  ]);
  assert.is(ctx.server.received[0].params.Caller, "+819012345678", "only the named parameters change");
});

gather.run();

// ---------------------------------------------------------------------------------------------
const verbs = suite<{ server: Fixture }>("simulateCall: other verbs, the step limit and the status callback");

verbs.before(async (ctx) => {
  ctx.server = await startFixture({
    "/loop": () => twiml(`<Redirect>/loop</Redirect>`),
    "/timed": () => twiml(`<Say loop="2">こんにちは</Say><Pause length="3"/><Hangup/>`),
    "/reject": () => twiml(`<Reject reason="busy"/>`),
    "/reject-default": () => twiml(`<Reject/>`),
    "/late-reject": () => twiml(`<Say>hi</Say><Reject/>`),
    "/printed": () => twiml(`<Start><Stream url="wss://example.com/s"/></Start><Dance/><Play digits="1w2"/><Enqueue waitUrl="/wait">support</Enqueue><Say>never</Say>`),
    "/conference": () => twiml(`<Dial action="/after"><Conference>朝会</Conference></Dial><Say>never</Say>`),
    "/leave": () => twiml(`<Leave/><Say>after leave</Say>`),
    "/forever": () => twiml(`<Say loop="0">お待ちください</Say><Say>never</Say>`),
    "/audio": () => ({ contentType: "audio/mpeg", body: "ID3" }),
    "/text": () => ({ contentType: "text/plain; charset=utf-8", body: "テキストです" }),
    "/status": () => ({ status: 204 }),
    "/status-broken": () => ({ status: 500, contentType: "text/plain", body: "boom" }),
  });
});
verbs.before.each((ctx) => void (ctx.server.received.length = 0));
verbs.after(async (ctx) => ctx.server.close());

verbs("a Redirect loop stops at the step limit and is reported", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/loop`, { authToken: TOKEN, maxSteps: 5 });
  assert.is(ctx.server.received.length, 6, "the first request and five redirects");
  const loop = result.events.find((e) => e.event === "loop");
  assert.equal(loop, {
    event: "loop",
    steps: 5,
    message: `the step limit of 5 verbs was reached; ${ctx.server.base}/loop was requested 6 times, probably a loop`,
  });
  assert.is(result.status, "completed");
});

verbs("the status callback carries CallStatus=completed and the simulated CallDuration", async (ctx) => {
  const at = new Date(Date.UTC(2026, 10, 29, 2, 47, 1));
  const result = await simulateCall(`${ctx.server.base}/timed`, { authToken: TOKEN, statusUrl: `${ctx.server.base}/status`, now: () => at });
  const [call, status] = ctx.server.received;
  assert.is(status.path, "/status");
  assert.is(status.signatureValid, true, "the status callback is signed too");
  assert.is(status.params.CallStatus, "completed");
  assert.is(status.params.CallDuration, "5", "10 characters spoken at 7 a second, plus a 3 s pause, rounded up");
  assert.is(status.params.Timestamp, "Sun, 29 Nov 2026 02:47:01 +0000");
  assert.is(status.params.CallbackSource, "call-progress-events");
  assert.is(status.params.CallSid, call.params.CallSid, "the same call");
  assert.is(call.params.CallStatus, "ringing", "the first request rings");
  assert.equal(result.events.at(-1), { event: "end", status: "completed", duration: 5, failed: false });
});

verbs("a status callback answered with an error is a failure (15003)", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/timed`, { authToken: TOKEN, statusUrl: `${ctx.server.base}/status-broken` });
  assert.ok(result.events.some((e) => e.event === "error" && e.code === 15003));
  assert.is(result.failed, true);
});

verbs("Reject first leaves the call unanswered: busy, or no-answer by default", async (ctx) => {
  const busy = await simulateCall(`${ctx.server.base}/reject`, { authToken: TOKEN, statusUrl: `${ctx.server.base}/status` });
  assert.equal(busy.events.at(-1), { event: "end", status: "busy", duration: 0, failed: false });
  assert.is(ctx.server.received.at(-1)!.params.CallStatus, "busy");
  const rejected = await simulateCall(`${ctx.server.base}/reject-default`, { authToken: TOKEN });
  assert.is(rejected.status, "no-answer");
  const late = await simulateCall(`${ctx.server.base}/late-reject`, { authToken: TOKEN });
  assert.is(late.status, "completed", "a Reject after another verb only ends an answered call");
});

const lines = (result: { events: SimEvent[] }) => result.events.filter((e) => e.event !== "request" && e.event !== "end").map(toText);

verbs("Start is printed and the call goes on; Enqueue is printed with what Twilio does next, and the walk stops there", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/printed`, { authToken: TOKEN });
  assert.equal(lines(result), [
    "  <Start> Stream (printed, not carried out; it runs alongside the call, which goes on with the next verb)",
    "  warning 12200: <Dance> is not a TwiML voice verb; Twilio skips it.",
    "  Twilio plays the tones 1w2",
    '  <Enqueue> support waitUrl="/wait" (printed, not carried out; the caller waits in the queue, hearing the waitUrl, until an agent dequeues the call; the simulator stops here)',
  ]);
  assert.is(result.failed, false, "warnings do not fail the call");
});

verbs("Dial into a Conference is printed and the walk stops; Leave goes on with the next verb", async (ctx) => {
  const conference = await simulateCall(`${ctx.server.base}/conference`, { authToken: TOKEN });
  assert.equal(lines(conference), [
    '  <Dial> Conference 朝会 action="/after" (printed, not carried out; the caller stays in the conference until it ends or they hang up; the simulator stops here)',
  ]);
  assert.is(ctx.server.received.length, 1, "the Dial action is not requested while the caller is in the conference");
  const leave = await simulateCall(`${ctx.server.base}/leave`, { authToken: TOKEN });
  assert.equal(said(leave.events), ["after leave"]);
});

// loop="0": twilio.com/docs/voice/twiml/say#attributes-loop ("loop indefinitely until the call is hung up").
verbs('Say loop="0" repeats until the caller hangs up: nothing after it runs', async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/forever`, { authToken: TOKEN });
  assert.equal(lines(result), [
    "  Twilio says [man, en-US]: お待ちください (repeated until the call ends)",
    '  Caller hangs up (loop="0" repeats until the caller hangs up)',
  ]);
});

verbs("an audio answer is played and a text/plain answer is read, then the call ends", async (ctx) => {
  const audio = await simulateCall(`${ctx.server.base}/audio`, { authToken: TOKEN });
  assert.equal(audio.events.find((e) => e.event === "play"), { event: "play", url: `${ctx.server.base}/audio`, digits: "", loop: 1 });
  const text = await simulateCall(`${ctx.server.base}/text`, { authToken: TOKEN });
  assert.equal(said(text.events), ["テキストです"]);
  assert.is(text.failed, false);
});

verbs.run();
