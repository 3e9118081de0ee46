import { suite } from "uvu";
import * as assert from "uvu/assert";
import reply from "../functions/sms/reply";
import { simulateSms } from "../local/simulator/sms";
import type { SimEvent } from "../local/simulator/transcript";
import { startFunctionServer, type FunctionServer } from "./helpers/function-server";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const messages = (events: SimEvent[]) => events.filter((e) => e.event === "message");
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const TEXT = "こんにちは👋🏽 テスト & <b>\"'%2B+";

// ---------------------------------------------------------------------------------------------
const starter = suite<{ server: FunctionServer }>("simulateSms: the starter sms/reply through the runtime");

starter.before(async (ctx) => {
  ctx.server = await startFunctionServer({ "/sms/reply": reply }, TOKEN);
});
starter.after(async (ctx) => ctx.server.close());

starter("a Japanese and emoji message comes back quoted, intact", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/sms/reply`, TEXT, { authToken: TOKEN });
  assert.equal(messages(result.events), [
    { event: "message", from: "+815012345678", to: "+819012345678", body: `メッセージを受け付けました:「${TEXT}」`, media: [] },
  ]);
  assert.is(result.status, "1 reply");
  assert.is(result.failed, false);
});

starter("media URLs are counted by the reply", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/sms/reply`, "写真", {
    authToken: TOKEN,
    media: ["https://example.com/a.jpg", "https://example.com/b.png"],
  });
  assert.equal(messages(result.events).map((e) => e.event === "message" && e.body), ["メッセージを受け付けました:「写真」画像など2件も受け取りました。"]);
});

starter.run();

// ---------------------------------------------------------------------------------------------
const echo = suite<{ server: Fixture }>("simulateSms: what is sent and what is printed");

echo.before(async (ctx) => {
  ctx.server = await startFixture({
    "/echo": (params) => twiml(`<Message>${escapeXml(params.Body)}</Message>`),
    "/rich": () =>
      twiml(`<Message to="+819011112222" from="+815099998888"><Body>写真です</Body><Media>https://example.com/1.jpg</Media><Media>https://example.com/2.jpg</Media></Message><Message>二通目</Message>`),
    "/hop": () => twiml(`<Redirect method="GET">/echo</Redirect>`),
    "/plain": () => ({ contentType: "text/plain; charset=utf-8", body: "了解です" }),
    "/silent": () => ({ status: 204 }),
    "/json": () => ({ contentType: "application/json", body: "{}" }),
    "/empty-message": () => twiml(`<Message/><Message><Body> </Body></Message><Message>${"あ".repeat(1601)}</Message><Message>届きました</Message>`),
    "/with-action": () => twiml(`<Message action="/after-message" method="GET">受付番号は 42 です</Message><Message>never</Message>`),
    "/after-message": (params) => twiml(`<Message>${params.MessageStatus}</Message>`),
    "/loop": () => twiml(`<Redirect>/loop</Redirect>`),
    "/chatty": () => twiml(Array.from({ length: 11 }, (_, i) => `<Message>${i + 1}</Message>`).join("")),
  });
});
echo.before.each((ctx) => void (ctx.server.received.length = 0));
echo.after(async (ctx) => ctx.server.close());

echo("the server receives Twilio's message parameters, and the echo comes back byte for byte", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/echo`, TEXT, { authToken: TOKEN, media: ["https://example.com/p.jpg"] });
  const { params, signatureValid, headers } = ctx.server.received[0];
  assert.is(signatureValid, true);
  assert.is(headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8");
  assert.is(params.Body, TEXT);
  assert.match(params.MessageSid, /^MM[0-9a-f]{32}$/, "a message with media has an MM sid");
  assert.is(params.NumMedia, "1");
  assert.is(params.MediaUrl0, "https://example.com/p.jpg");
  assert.is(params.MediaContentType0, "image/jpeg");
  assert.is(params.NumSegments, "1");
  assert.equal(messages(result.events).map((e) => e.event === "message" && e.body), [TEXT]);
});

echo("Message to/from, Body and Media nouns, and several messages are all printed", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/rich`, "hi", { authToken: TOKEN });
  assert.equal(messages(result.events), [
    { event: "message", from: "+815099998888", to: "+819011112222", body: "写真です", media: ["https://example.com/1.jpg", "https://example.com/2.jpg"] },
    { event: "message", from: "+815012345678", to: "+819012345678", body: "二通目", media: [] },
  ]);
  assert.is(result.status, "2 replies");
  assert.match(ctx.server.received[0].params.MessageSid, /^SM[0-9a-f]{32}$/, "a text-only message has an SM sid");
});

echo("a Redirect requests the new URL with the same message parameters", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/hop`, "転送", { authToken: TOKEN });
  assert.equal(ctx.server.received.map((r) => `${r.method} ${r.path.split("?")[0]} ${r.signatureValid}`), ["POST /hop true", "GET /echo true"]);
  assert.is(ctx.server.received[1].params.MessageSid, ctx.server.received[0].params.MessageSid);
  assert.equal(messages(result.events).map((e) => e.event === "message" && e.body), ["転送"]);
});

echo("text/plain is the reply itself; 204 means no reply; JSON is 12300", async (ctx) => {
  const plain = await simulateSms(`${ctx.server.base}/plain`, "x", { authToken: TOKEN });
  assert.equal(messages(plain.events).map((e) => e.event === "message" && e.body), ["了解です"]);
  const silent = await simulateSms(`${ctx.server.base}/silent`, "x", { authToken: TOKEN });
  assert.equal(silent.events.at(-1), { event: "end", status: "no reply", duration: null, failed: false });
  const json = await simulateSms(`${ctx.server.base}/json`, "x", { authToken: TOKEN });
  assert.ok(json.events.some((e) => e.event === "error" && e.code === 12300));
  assert.is(json.failed, true);
});

echo("a wrong token gets 403 and the run fails", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/echo`, "x", { authToken: "wrong" });
  assert.ok(result.events.some((e) => e.event === "request" && e.status === 403));
  assert.ok(result.events.some((e) => e.event === "error" && e.code === 11200));
  assert.is(result.failed, true);
});

// twilio.com/docs/api/errors/14103: an empty body without media (or one over 1600 characters) is not sent.
echo("an empty Message, a blank Body and an overlong one are 14103 and not sent; the next Message still is", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/empty-message`, "x", { authToken: TOKEN });
  assert.equal(result.events.filter((e) => e.event === "warning").map((e) => e.event === "warning" && [e.code, e.message]), [
    [14103, "<Message> has no body and no media, so Twilio sends nothing."],
    [14103, "<Message> has no body and no media, so Twilio sends nothing."],
    [14103, "<Message> has 1601 characters; Twilio sends at most 1600."],
  ]);
  assert.equal(result.heard, ["届きました"]);
  assert.is(result.status, "1 reply");
});

// twilio.com/docs/messaging/twiml/message#action: MessageSid and MessageStatus go to the action, whose TwiML takes over.
echo("Message action: the reply is reported there with its own SID, and the action's TwiML replaces the rest", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/with-action`, "予約", { authToken: TOKEN });
  const [incoming, action] = ctx.server.received;
  assert.equal(ctx.server.received.map((r) => `${r.method} ${r.path.split("?")[0]}`), ["POST /with-action", "GET /after-message"]);
  assert.equal(Object.fromEntries(Object.entries(action.params).filter(([k, v]) => incoming.params[k] !== v)), {
    MessageSid: action.params.MessageSid,
    MessageStatus: "sent",
    From: "+815012345678",
    To: "+819012345678",
  });
  assert.match(action.params.MessageSid, /^SM[0-9a-f]{32}$/);
  assert.is.not(action.params.MessageSid, incoming.params.MessageSid, "the reply is a message of its own");
  assert.is(action.signatureValid, true);
  assert.equal(result.heard, ["受付番号は 42 です", "sent"], "the Message after the one with an action is never sent");
});

// twilio.com/docs/api/errors/14106: "Your Message Reply session has requested too many documents. The limit is 50".
echo("a Redirect loop stops after 50 documents with 14106", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/loop`, "x", { authToken: TOKEN, maxSteps: 1000 });
  assert.is(ctx.server.received.length, 50);
  assert.equal(result.events.filter((e) => e.event === "warning").map((e) => e.event === "warning" && e.code), [14106]);
});

// twilio.com/docs/api/errors/14109: at most 10 TwiML replies to one incoming message.
echo("the eleventh reply is dropped with 14109", async (ctx) => {
  const result = await simulateSms(`${ctx.server.base}/chatty`, "x", { authToken: TOKEN });
  assert.equal(result.heard, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  assert.equal(result.events.filter((e) => e.event === "warning").map((e) => e.event === "warning" && e.code), [14109]);
});

echo.run();
