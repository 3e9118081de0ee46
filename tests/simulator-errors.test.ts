import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { scriptedKeypad, simulateCall } from "../local/simulator/call";
import { interpret } from "../local/simulator/errors";
import type { FailureReason, WebhookOutcome } from "../local/simulator/http";
import { startServer, type RunningServer } from "../local/server";
import { toText, type SimEvent } from "../local/simulator/transcript";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const ok = (status: number, contentType: string, body: string): WebhookOutcome => ({
  ok: true,
  url: "https://example.com/voice",
  method: "POST",
  status,
  contentType,
  body,
  ms: 1,
});

const classes = suite("interpret: what Twilio makes of an answer");

classes("text/xml, application/xml and text/html are TwiML, whatever the charset parameter", () => {
  for (const type of ["text/xml", "application/xml; charset=utf-8", "TEXT/HTML"]) {
    const answer = interpret(ok(200, type, "<Response/>"), "voice");
    assert.is(answer.kind, "twiml", `${type} is read as TwiML`);
  }
});

classes("any other Content-Type is 12300, a missing one too", () => {
  assert.equal(interpret(ok(200, "application/json", "{}"), "voice"), {
    kind: "error",
    code: 12300,
    message: "https://example.com/voice answered with Content-Type application/json, which Twilio cannot use here.",
  });
  assert.equal(interpret(ok(200, "", "<Response/>"), "voice"), {
    kind: "error",
    code: 12300,
    message: "https://example.com/voice answered without a Content-Type.",
  });
  assert.is((interpret(ok(200, "audio/mpeg", "x"), "messaging") as { code: number }).code, 12300, "audio cannot answer a message");
});

classes("malformed XML and an empty document are 12100; a root other than Response is 12102", () => {
  assert.equal(interpret(ok(200, "text/xml", "<Response><Say>hi</Response>"), "voice"), {
    kind: "error",
    code: 12100,
    message: "The TwiML is not well-formed XML: The end tag </Response> does not match <Say> at line 1, column 18.",
  });
  assert.equal(interpret(ok(200, "text/xml", "  "), "voice"), { kind: "error", code: 12100, message: "The answer is an empty document." });
  assert.equal(interpret(ok(200, "text/xml", "<Reply/>"), "voice"), { kind: "error", code: 12102, message: "The root element is <Reply>, not <Response>." });
});

classes("an HTTP error status is 11200 with an excerpt of the body", () => {
  assert.equal(interpret(ok(500, "text/plain", "An application\nerror occurred."), "voice"), {
    kind: "error",
    code: 11200,
    message: "POST https://example.com/voice answered HTTP 500: An application error occurred.",
  });
});

// Codes as Twilio's error dictionary names them: twilio.com/docs/api/errors/11200, 11205, 11210, 11215, 11216.
classes("a timeout is 11200, a refused connection 11205, a bad host name 11210, endless redirects 11215, a bad redirect 11216", () => {
  const failure = (reason: FailureReason, message: string): WebhookOutcome => ({
    ok: false,
    url: "https://example.com/voice",
    method: "POST",
    reason,
    message,
    ms: 1,
  });
  assert.equal(interpret(failure("timeout", "no complete answer within 15000 ms"), "voice"), {
    kind: "error",
    code: 11200,
    message: "POST https://example.com/voice failed: no complete answer within 15000 ms.",
  });
  assert.is((interpret(failure("connection", "connect ECONNREFUSED"), "voice") as { code: number }).code, 11205);
  assert.is((interpret(failure("redirects", "more than 10 HTTP redirects"), "voice") as { code: number }).code, 11215);
  assert.equal(interpret(failure("dns", "getaddrinfo ENOTFOUND x.invalid"), "voice"), {
    kind: "error",
    code: 11210,
    message: "POST https://example.com/voice failed: getaddrinfo ENOTFOUND x.invalid.",
  });
  assert.equal(interpret(failure("bad-redirect", "answered HTTP 308 which Twilio does not follow"), "voice"), {
    kind: "error",
    code: 11216,
    message: "POST https://example.com/voice answered HTTP 308 which Twilio does not follow.",
  });
});

classes("every status outside 2xx is 11200, 3xx and 4xx included", () => {
  for (const status of [199, 304, 400, 404, 415, 429, 502]) {
    assert.is((interpret(ok(status, "text/xml", "<Response/>"), "voice") as { code: number }).code, 11200, `HTTP ${status} is 11200`);
  }
});

classes("a 403 hints at the auth token only when the answer speaks of the signature", () => {
  const message = (body: string) => (interpret(ok(403, "application/json", body), "voice") as { message: string }).message;
  assert.is(message("The X-Twilio-Signature header does not match this request."),
    "POST https://example.com/voice answered HTTP 403 (is the auth token the one the server checks signatures with?): The X-Twilio-Signature header does not match this request.");
  assert.is(message('{"message":"Missing Authentication Token"}'),
    'POST https://example.com/voice answered HTTP 403 (API Gateway has no route for this method and path; check the URL and the stage): {"message":"Missing Authentication Token"}',
    "API Gateway's unknown-route answer is not about tokens");
  assert.is(message('{"message":"Forbidden"}'), 'POST https://example.com/voice answered HTTP 403: {"message":"Forbidden"}');
});

classes("a message answered with 204 or an empty body gets no reply, which is not an error", () => {
  assert.equal(interpret(ok(204, "", ""), "messaging"), { kind: "empty" });
  assert.equal(interpret(ok(200, "text/xml", ""), "messaging"), { kind: "empty" });
});

classes.run();

// ---------------------------------------------------------------------------------------------
const calls = suite<{ server: Fixture }>("simulateCall: each error class on the wire, then the fallback URL");

calls.before(async (ctx) => {
  ctx.server = await startFixture({
    "/json": () => ({ contentType: "application/json", body: '{"say":"hi"}' }),
    "/broken": () => twiml(`<Say>unclosed`),
    "/crash": () => ({ status: 500, contentType: "text/plain", body: "An application error occurred." }),
    "/slow": () => ({ ...twiml(`<Say>too late</Say>`), delayMs: 60_000 }),
    "/moved": () => ({ status: 302, location: "/hello" }),
    "/hello": () => twiml(`<Say>hello</Say>`),
    "/fallback": (params) => twiml(`<Say>Sorry (${params.ErrorCode}).</Say><Hangup/>`),
    "/menu": () => twiml(`<Gather action="/crash"><Say>Press a key.</Say></Gather>`),
    "/bad-redirect": () => ({ status: 308, location: "/hello" }),
  });
});
calls.before.each((ctx) => void (ctx.server.received.length = 0));
calls.after(async (ctx) => ctx.server.close());

const errorsOf = (events: SimEvent[]) => events.flatMap((e) => (e.event === "error" ? [e.code] : []));

// Long enough for a loopback answer on a busy machine, far shorter than /slow's delay.
const shortTimeout = { authToken: TOKEN, timeoutMs: 1_000 };

calls("12300: a JSON answer", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/json`, { ...shortTimeout });
  assert.equal(errorsOf(result.events), [12300]);
  assert.is(result.failed, true);
});

calls("12100: a document that is not well-formed", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/broken`, { ...shortTimeout });
  assert.equal(errorsOf(result.events), [12100]);
});

calls("11200: an HTTP 500", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/crash`, { ...shortTimeout });
  assert.equal(errorsOf(result.events), [11200]);
  assert.equal(result.events.find((e) => e.event === "hangup"), { event: "hangup", by: "twilio", reason: "after the error above" });
});

calls("11200: no answer within the (shortened) Twilio timeout", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/slow`, { ...shortTimeout });
  const request = result.events.find((e) => e.event === "request");
  assert.ok(request && request.event === "request" && request.status === null, "the request shows no status");
  const error = result.events.find((e) => e.event === "error");
  assert.equal(error, {
    event: "error",
    code: 11200,
    title: "HTTP retrieval failure",
    message: `POST ${ctx.server.base}/slow failed: no complete answer within 1000 ms.`,
  });
});

calls("11205: nobody listening", async () => {
  const closed = await startFixture({});
  const url = `${closed.base}/voice`;
  await closed.close();
  const result = await simulateCall(url, { ...shortTimeout });
  assert.equal(errorsOf(result.events), [11205]);
  const error = result.events.find((e) => e.event === "error");
  assert.match(error?.event === "error" ? error.message : "", /^POST http:\/\/127\.0\.0\.1:\d+\/voice failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(is `make dev` running\?\)\.$/, "a local URL nobody serves hints at make dev");
});

calls("an HTTP redirect is followed and re-signed for the new URL, like a browser (302 becomes GET)", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/moved`, { ...shortTimeout });
  assert.equal(ctx.server.received.map((r) => `${r.method} ${r.path} ${r.signatureValid}`), ["POST /moved true", "GET /hello true"]);
  assert.ok(result.events.some((e) => e.event === "say" && e.text === "hello"));
  assert.is(result.failed, false);
});

for (const [route, code] of [["/json", 12300], ["/broken", 12100], ["/crash", 11200], ["/slow", 11200]] as const) {
  calls(`after ${code} on ${route} the fallback URL is requested with ErrorCode and ErrorUrl, and its TwiML runs`, async (ctx) => {
    const url = `${ctx.server.base}${route}`;
    const result = await simulateCall(url, { fallbackUrl: `${ctx.server.base}/fallback`, ...shortTimeout });
    const fallback = ctx.server.received.find((r) => r.path === "/fallback");
    assert.ok(fallback, "the fallback URL is requested");
    assert.is(fallback!.method, "POST");
    assert.is(fallback!.params.ErrorCode, String(code));
    assert.is(fallback!.params.ErrorUrl, url);
    assert.is(fallback!.params.CallSid, ctx.server.received[0].params.CallSid, "with the call's own parameters");
    assert.is(fallback!.signatureValid, true);
    assert.ok(result.events.some((e) => e.event === "say" && e.text === `Sorry (${code}).`), "the fallback's TwiML is carried out");
    assert.is(result.failed, true, "the error still counts against the run");
  });
}

calls("an error on a Gather action also falls back", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/menu`, {
    fallbackUrl: `${ctx.server.base}/fallback`,
    keypad: scriptedKeypad(["1"]),
    ...shortTimeout,
  });
  assert.equal(ctx.server.received.map((r) => r.path), ["/menu", "/crash", "/fallback"]);
  assert.is(ctx.server.received[2].params.Digits, "1", "the fallback sees what the failed request carried");
  assert.equal(errorsOf(result.events), [11200]);
});

calls("the fallback is requested with its configured method: GET puts the error in the signed query", async (ctx) => {
  const url = `${ctx.server.base}/crash`;
  await simulateCall(url, { fallbackUrl: `${ctx.server.base}/fallback`, fallbackMethod: "GET", ...shortTimeout });
  const fallback = ctx.server.received[1];
  assert.equal([fallback.method, fallback.path.split("?")[0], fallback.params.ErrorCode, fallback.params.ErrorUrl, fallback.signatureValid], ["GET", "/fallback", "11200", url, true]);
});

calls("11216: a 308 is not followed, and the fallback takes over", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/bad-redirect`, { fallbackUrl: `${ctx.server.base}/fallback`, ...shortTimeout });
  assert.equal(ctx.server.received.map((r) => r.path), ["/bad-redirect", "/fallback"]);
  assert.equal(errorsOf(result.events), [11216]);
  assert.ok(result.events.some((e) => e.event === "say" && e.text === "Sorry (11216)."));
});

calls("a failing fallback ends the call, without a second fallback", async (ctx) => {
  const result = await simulateCall(`${ctx.server.base}/crash`, { fallbackUrl: `${ctx.server.base}/json`, ...shortTimeout });
  assert.equal(errorsOf(result.events), [11200, 12300]);
  assert.equal(ctx.server.received.map((r) => r.path), ["/crash", "/json"]);
});

calls.run();

// ---------------------------------------------------------------------------------------------
const emulator = suite<{ server: RunningServer }>("simulateCall: the 403s of the dev stage on the emulator, each with its own hint");

emulator.before(async (ctx) => {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  ctx.server = await startServer({ stack: "cdktf.out/stacks/denwa-dev", port: 0, env: { TWILIO_AUTH_TOKEN: TOKEN }, log: () => {}, functionOutput: quiet });
});
emulator.after(async (ctx) => ctx.server.close());

const errorLine = (events: SimEvent[]) => events.flatMap((e) => (e.event === "error" ? [toText(e)] : []));

emulator("an unknown route is API Gateway's Missing Authentication Token: a route hint, not a token hint", async (ctx) => {
  const result = await simulateCall(`${ctx.server.url}/dev/voice/nowhere`, { authToken: TOKEN });
  assert.equal(errorLine(result.events), [
    `  error 11200 HTTP retrieval failure: POST ${ctx.server.url}/dev/voice/nowhere answered HTTP 403 (API Gateway has no route for this method and path; check the URL and the stage): {"message":"Missing Authentication Token"}`,
  ]);
});

emulator("a wrong auth token is the runtime's signature 403: the token hint", async (ctx) => {
  const result = await simulateCall(`${ctx.server.url}/dev/voice/hello`, { authToken: "not-the-token-0123456789abcdef01" });
  assert.equal(errorLine(result.events), [
    `  error 11200 HTTP retrieval failure: POST ${ctx.server.url}/dev/voice/hello answered HTTP 403 (is the auth token the one the server checks signatures with?): The X-Twilio-Signature header does not match this request.`,
  ]);
});

emulator.run();
