import { suite } from "uvu";
import * as assert from "uvu/assert";
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

http.run();
