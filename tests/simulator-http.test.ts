import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LookupFunction } from "node:net";
import { CookieJar } from "../local/simulator/cookies";
import { sendWebhook } from "../local/simulator/http";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const http = suite<{ server: Fixture }>("sendWebhook: a request shaped like Twilio's");

http.before(async (ctx) => {
  ctx.server = await startFixture({
    "/ok": () => twiml("<Say>ok</Say>"),
    "/slow": () => ({ ...twiml(""), delayMs: 2_000 }),
    "/temp": () => ({ status: 307, location: "/ok" }),
    "/circle": () => ({ status: 301, location: "/circle" }),
    "/permanent": () => ({ status: 308, location: "/ok" }),
    "/nowhere": () => ({ status: 302 }),
    "/login": () => ({ ...twiml("<Say>hi</Say>"), setCookie: ["session=abc123; Path=/; HttpOnly", "lang=ja"] }),
    "/logout": () => ({ ...twiml(""), setCookie: ["session=; Max-Age=0; Path=/"] }),
  });
});
http.before.each((ctx) => void (ctx.server.received.length = 0));
http.after(async (ctx) => ctx.server.close());

http("POST carries Twilio's headers and a form body", async (ctx) => {
  const outcome = await sendWebhook({ url: `${ctx.server.base}/ok`, method: "POST", params: { A: "1" }, authToken: TOKEN });
  const { headers } = ctx.server.received[0];
  assert.is(headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8");
  assert.is(headers["user-agent"], "TwilioProxy/1.1");
  assert.is(headers.accept, "*/*");
  assert.is(headers["cache-control"], "max-age=259200");
  assert.match(String(headers["i-twilio-idempotency-token"]), UUID);
  assert.is(headers["content-length"], "3");
  assert.ok(outcome.ok, "the answer came back");
  assert.equal(outcome.ok && [outcome.status, outcome.contentType, outcome.body], [200, "text/xml; charset=utf-8", '<?xml version="1.0" encoding="UTF-8"?><Response><Say>ok</Say></Response>']);
});

http("each request has its own idempotency token", async (ctx) => {
  await sendWebhook({ url: `${ctx.server.base}/ok`, method: "POST", params: {}, authToken: TOKEN });
  await sendWebhook({ url: `${ctx.server.base}/ok`, method: "POST", params: {}, authToken: TOKEN });
  const [a, b] = ctx.server.received.map((r) => r.headers["i-twilio-idempotency-token"]);
  assert.is.not(a, b);
});

http("GET has no body and no Content-Type", async (ctx) => {
  await sendWebhook({ url: `${ctx.server.base}/ok`, method: "GET", params: { A: "1" }, authToken: TOKEN });
  const { headers, method, path } = ctx.server.received[0];
  assert.is(method, "GET");
  assert.is(path, "/ok?A=1");
  assert.is(headers["content-type"], undefined);
});

http("the deadline is configurable and a late answer is a timeout", async (ctx) => {
  const outcome = await sendWebhook({ url: `${ctx.server.base}/slow`, method: "POST", params: {}, authToken: TOKEN, timeoutMs: 100 });
  assert.equal(outcome.ok ? null : [outcome.reason, outcome.message], ["timeout", "no complete answer within 100 ms"]);
});

http("307 keeps the method and the form; a redirect cycle gives up after ten hops", async (ctx) => {
  const outcome = await sendWebhook({ url: `${ctx.server.base}/temp`, method: "POST", params: { A: "1" }, authToken: TOKEN });
  assert.equal(ctx.server.received.map((r) => `${r.method} ${r.path} ${r.params.A} ${r.signatureValid}`), ["POST /temp 1 true", "POST /ok 1 true"]);
  assert.ok(outcome.ok && outcome.url === `${ctx.server.base}/ok`, "the answer's URL is the final one");
  const cycle = await sendWebhook({ url: `${ctx.server.base}/circle`, method: "GET", params: {}, authToken: TOKEN });
  assert.equal(cycle.ok ? null : cycle.reason, "redirects");
});

// Twilio follows 301, 302, 303 and 307 only; any other 3xx or one without Location is 11216 (twilio.com/docs/api/errors/11216).
http("308 and a 3xx without Location are not followed", async (ctx) => {
  const permanent = await sendWebhook({ url: `${ctx.server.base}/permanent`, method: "POST", params: {}, authToken: TOKEN });
  assert.equal(permanent.ok ? null : [permanent.reason, permanent.message], ["bad-redirect", "answered HTTP 308 which Twilio does not follow"]);
  const nowhere = await sendWebhook({ url: `${ctx.server.base}/nowhere`, method: "POST", params: {}, authToken: TOKEN });
  assert.equal(nowhere.ok ? null : [nowhere.reason, nowhere.message], ["bad-redirect", "answered HTTP 302 without a Location header"]);
  assert.equal(ctx.server.received.map((r) => r.path), ["/permanent", "/nowhere"], "nothing is requested after either");
});

http("a name that does not resolve is a DNS failure, not a connection failure", async () => {
  const lookup = ((hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException) => void) => {
    const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    err.code = "ENOTFOUND";
    callback(err);
  }) as unknown as LookupFunction;
  const outcome = await sendWebhook({ url: "https://voice.example.invalid/dev/voice/hello", method: "POST", params: {}, lookup });
  assert.equal(outcome.ok ? null : [outcome.reason, outcome.message], ["dns", "getaddrinfo ENOTFOUND voice.example.invalid"]);
});

http("cookies set by one answer go back with the next requests to that host, until deleted", async (ctx) => {
  const cookies = new CookieJar();
  const send = (path: string) => sendWebhook({ url: `${ctx.server.base}${path}`, method: "POST", params: {}, authToken: TOKEN, cookies });
  await send("/ok");
  await send("/login");
  await send("/ok");
  await send("/logout");
  await send("/ok");
  assert.equal(ctx.server.received.map((r) => r.headers.cookie), [undefined, undefined, "session=abc123; lang=ja", "session=abc123; lang=ja", "lang=ja"]);
});

http.run();
