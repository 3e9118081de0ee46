import { suite } from "uvu";
import * as assert from "uvu/assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { runWebhook, type Webhook } from "../runtime/webhook";
import type { TwilioRequest } from "../runtime/request";
import { SAMPLE_HOST as HOST, SAMPLE_TOKEN as TOKEN, gatewayEvent } from "../testkit";
import { testDeps } from "./helpers/events";

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** A handler that remembers what it saw and echoes it in a <Say>. */
function echo() {
  const seen: TwilioRequest[] = [];
  const handler: Webhook = (req) => {
    seen.push(req);
    const twiml = new VoiceResponse();
    twiml.say(JSON.stringify(req.params));
    return twiml;
  };
  return { handler, seen };
}

const success = suite("runWebhook: signed requests");

success("a signed POST reaches the handler and answers 200 application/xml TwiML", async () => {
  const { handler, seen } = echo();
  const { deps, log } = testDeps();
  const params = { CallSid: "CA1", From: "+815012345678", Body: `'"\\&=+%2B こんにちは 😀\n` };
  const result = await runWebhook(handler, gatewayEvent({ params }), deps);
  assert.is(result.statusCode, 200);
  assert.is(result.contentType, "application/xml");
  assert.is(result.body, `${XML_HEAD}<Response><Say>${JSON.stringify(params).replace(/&/g, "&amp;")}</Say></Response>`);
  assert.equal({ ...seen[0].params }, params, "the handler gets exactly the parameters sent");
  assert.is(seen[0].url, `https://${HOST}/dev/voice/hello`);
  assert.equal(log.lines, [{ level: "info", stage: "dev", route: "voice/hello", requestId: "req-0001", sid: "CA1", status: 200, ms: 5 }]);
});

success("an empty form, which API Gateway's templates read as {}, is a form without parameters", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, gatewayEvent({ params: {}, rawBody: Buffer.from("{}") }), deps);
  assert.is(result.statusCode, 200, "the signature over no parameters matches");
  assert.equal({ ...seen[0].params }, {}, "no parameter named {}");
});

success("a signed GET takes its parameters from the query string", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, gatewayEvent({ method: "GET", params: { CallSid: "CA2", Digits: "1" } }), deps);
  assert.is(result.statusCode, 200);
  assert.equal({ ...seen[0].params }, { CallSid: "CA2", Digits: "1" });
  assert.is(seen[0].method, "GET");
});

success("a POST to a URL with a query string is signed with that query", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, gatewayEvent({ route: "/voice/menu", query: { retry: "1" }, params: { CallSid: "CA3" } }), deps);
  assert.is(result.statusCode, 200);
  assert.is(seen[0].query.retry, "1");
});

success("repeated parameters (several MediaUrl) validate and arrive as an array", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const params = { MessageSid: "SM1", MediaUrl: ["https://a.example/1", "https://a.example/2"] };
  const result = await runWebhook(handler, gatewayEvent({ params }), deps);
  assert.is(result.statusCode, 200);
  assert.equal(seen[0].params.MediaUrl, ["https://a.example/1", "https://a.example/2"]);
});

success("behind a tunnel, the Host and X-Forwarded-Proto the client used are the signed URL", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const event = gatewayEvent({ signedUrl: "https://abc.example/dev/voice/hello", headers: { Host: "abc.example", "X-Forwarded-Proto": "https" } });
  assert.is((await runWebhook(handler, event, deps)).statusCode, 200);
  assert.is(seen[0].urlFor("/voice/menu"), "https://abc.example/dev/voice/menu");
});

success("on a custom domain, the public base URL replaces host and stage", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps({ publicBaseUrl: "https://voice.example.jp" });
  const event = gatewayEvent({ signedUrl: "https://voice.example.jp/voice/hello" });
  assert.is((await runWebhook(handler, event, deps)).statusCode, 200);
  assert.is(seen[0].urlFor("/voice/menu?retry=1"), "https://voice.example.jp/voice/menu?retry=1");
});

success("a signature from the previous token still validates during a rotation", async () => {
  const { handler } = echo();
  const { deps } = testDeps({}, ["new-token-0123456789", TOKEN]);
  assert.is((await runWebhook(handler, gatewayEvent({ params: { CallSid: "CA4" } }), deps)).statusCode, 200);
});

success("a warm instance that kept the old token picks up a rotation at the first new signature", async () => {
  const { handler } = echo();
  const { deps } = testDeps();
  let stored = ["old-token-0123456789"];
  let fetches = 0;
  deps.tokens = Object.assign(async () => stored, {
    refresh: async () => {
      fetches++;
      stored = [TOKEN, "old-token-0123456789"];
      return true;
    },
  });
  assert.is((await runWebhook(handler, gatewayEvent({ params: { CallSid: "CA5" } }), deps)).statusCode, 200);
  assert.is(fetches, 1);
});

success("a trailing slash on the requested path is part of the signed URL (the event's path keeps it)", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const event = { ...gatewayEvent({ signedUrl: `https://${HOST}/dev/voice/hello/`, params: { CallSid: "CA6" } }), path: "/dev/voice/hello/" };
  assert.is((await runWebhook(handler, event, deps)).statusCode, 200);
  assert.is(seen[0].url, `https://${HOST}/dev/voice/hello/`);
  const unsigned = { ...gatewayEvent({ params: { CallSid: "CA6" } }), path: "/dev/voice/hello/" };
  assert.is((await runWebhook(handler, unsigned, deps)).statusCode, 403, "signed without the slash Twilio would have sent");
});

success("urlFor writes a query in canonical form (names sorted), given in the route or apart", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  await runWebhook(handler, gatewayEvent({ params: { CallSid: "CA7" } }), deps);
  const base = `https://${HOST}/dev`;
  assert.is(seen[0].urlFor("/voice/menu", { retry: "1", next: "/voice/hello", msg: "もう一度 x~" }), `${base}/voice/menu?msg=%E3%82%82%E3%81%86%E4%B8%80%E5%BA%A6%20x~&next=%2Fvoice%2Fhello&retry=1`);
  assert.is(seen[0].urlFor("voice/menu?t=12:30&flag&q=a+b"), `${base}/voice/menu?flag=&q=a%20b&t=12%3A30`, "names sorted");
  assert.is(seen[0].urlFor("/voice/menu?retry=0", { retry: "1" }), `${base}/voice/menu?retry=1`, "the query given apart wins");
  assert.throws(() => seen[0].urlFor("/voice/menu?a=1&a=2"), /"a" is repeated/);
});

success("the I-Twilio-Idempotency-Token header is logged, so a retried request can be spotted", async () => {
  const { handler } = echo();
  const { deps, log } = testDeps();
  const headers = { "I-Twilio-Idempotency-Token": "0f1e2d3c-aaaa-bbbb-cccc-000000000001" };
  await runWebhook(handler, gatewayEvent({ params: { CallSid: "CA8" }, headers }), deps);
  assert.is(log.lines[0].idempotencyToken, "0f1e2d3c-aaaa-bbbb-cccc-000000000001");
});

success("a SharedKey webhook (HMAC-SHA256) is checked against the stored shared key; its secret is never logged", async () => {
  const { handler } = echo();
  const shared = "shared-key-secret-0123456789";
  const { deps, log } = testDeps({}, [TOKEN, `sharedkey:${shared}`]);
  const params = { CallSid: "CA9" };
  const url = `https://${HOST}/dev/voice/hello`;
  const headers = { "X-Twilio-Signature": getExpectedTwilioSignature(shared, url, params, "HMAC_SHA256"), "X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256" };
  assert.is((await runWebhook(handler, gatewayEvent({ params, headers }), deps)).statusCode, 200);
  const forged = { ...headers, "X-Twilio-Signature": getExpectedTwilioSignature(TOKEN, url, params, "HMAC_SHA256") };
  const refused = await runWebhook(handler, gatewayEvent({ params, headers: forged }), deps);
  assert.is(refused.statusCode, 403, "the auth token does not sign SharedKey webhooks");
  deps.log.warn({ note: `seen ${shared}` });
  assert.not.ok(log.raw.join("").includes(shared), "the shared key is masked in every line");
});

/** The steps of one request in the order they happened: SSM's and the parsing of the event's body. */
function orderOfSteps(coldStart: boolean) {
  const order: string[] = [];
  const { deps } = testDeps();
  let inFlight = false;
  deps.tokens = Object.assign(
    () => {
      order.push("SSM asked");
      if (!coldStart) return Promise.resolve([TOKEN]);
      inFlight = true;
      return new Promise<string[]>((resolve) =>
        setImmediate(() => {
          order.push("SSM answered");
          inFlight = false;
          resolve([TOKEN]);
        }),
      );
    },
    { inFlight: () => inFlight },
  );
  const event = gatewayEvent({ params: { CallSid: "CA9" } });
  const body = event.body;
  Object.defineProperty(event, "body", {
    enumerable: true,
    get: () => {
      if (!order.includes("body parsed")) order.push("body parsed");
      return body;
    },
  });
  return { order, deps, event };
}

success("a cold start sends its SSM request before it parses the event, so the two overlap", async () => {
  const { order, deps, event } = orderOfSteps(true);
  assert.is((await runWebhook(echo().handler, event, deps)).statusCode, 200);
  assert.equal(order, ["SSM asked", "SSM answered", "body parsed"], "the event loop turned (the request went out) before the parsing");
});

success("a warm call with its token kept parses at once, without a turn of the event loop", async () => {
  const { order, deps, event } = orderOfSteps(false);
  let turned = false;
  setImmediate(() => (turned = true));
  const answering = runWebhook(echo().handler, event, deps);
  assert.equal(order, ["SSM asked", "body parsed"], "parsed synchronously");
  assert.is(turned, false);
  assert.is((await answering).statusCode, 200);
});

success.run();

const refused = suite("runWebhook: refused requests never reach the handler");

refused("a wrong token, a tampered value, or no signature gives 403", async () => {
  for (const [why, event] of [
    ["another token", gatewayEvent({ params: { CallSid: "CA1" }, token: "someone-elses-token" })],
    ["no header", gatewayEvent({ params: { CallSid: "CA1" }, token: null })],
    ["tampered body", { ...gatewayEvent({ params: { Digits: "1" } }), body: Buffer.from("Digits=2").toString("base64") }],
    ["another host", gatewayEvent({ params: { CallSid: "CA1" }, headers: { Host: "evil.example" } })],
  ] as const) {
    const { handler, seen } = echo();
    const { deps, log } = testDeps();
    const result = await runWebhook(handler, event, deps);
    assert.equal(result, { statusCode: 403, contentType: "text/plain; charset=utf-8", body: "The X-Twilio-Signature header does not match this request." }, why);
    assert.is(seen.length, 0, `${why}: the handler must not run`);
    assert.is(log.lines[0].level, "warn");
    assert.is(log.lines[0].status, 403);
  }
});

refused("a POST that is not a form gives 415 with the reason", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, gatewayEvent({ headers: { "Content-Type": "application/json" } }), deps);
  assert.equal(result, {
    statusCode: 415,
    contentType: "text/plain; charset=utf-8",
    body: "Twilio webhooks post application/x-www-form-urlencoded; this request sent application/json.",
  });
  assert.is(seen.length, 0);
});

refused("a body with broken percent-encoding gives 400, not 500", async () => {
  const { handler, seen } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, gatewayEvent({ rawBody: Buffer.from("Body=%E3%81") }), deps);
  assert.is(result.statusCode, 400);
  assert.is(result.body, "A percent-encoded value is not valid UTF-8.");
  assert.is(seen.length, 0);
});

refused("an event that did not come through the mapping template gives 400", async () => {
  const { handler, seen } = echo();
  const { deps, log } = testDeps();
  for (const event of [null, "x", { method: "POST" }, { ...gatewayEvent(), headers: null }]) {
    const result = await runWebhook(handler, event, deps);
    assert.is(result.statusCode, 400);
    assert.is(result.body, "The event is not a denwa request: invoke the function through its API Gateway route.");
  }
  assert.is(seen.length, 0);
  assert.is(log.lines.length, 4, "one log line per request");
});

refused("another HTTP method gives 400", async () => {
  const { handler } = echo();
  const { deps } = testDeps();
  const result = await runWebhook(handler, { ...gatewayEvent(), method: "PUT" }, deps);
  assert.equal([result.statusCode, result.body], [400, "Twilio webhooks are GET or POST, not PUT."]);
});

refused.run();

const failures = suite("runWebhook: failures");

const thrower: Webhook = () => {
  throw new TypeError("menu table is missing");
};

failures("a handler that throws gives 500 with nothing internal when debug is off", async () => {
  const { deps, log } = testDeps({ debug: false });
  const result = await runWebhook(thrower, gatewayEvent({ params: { CallSid: "CA9" } }), deps);
  assert.equal(result, { statusCode: 500, contentType: "text/plain; charset=utf-8", body: "An application error occurred." });
  assert.equal(log.lines, [
    { level: "error", stage: "dev", route: "voice/hello", requestId: "req-0001", sid: "CA9", error: "menu table is missing", errorType: "TypeError", status: 500, ms: 5 },
  ]);
  assert.not.match(log.raw.join(""), /at .*\.ts/, "no stack in the log with debug off");
});

failures("with debug on, the message and stack come back as text/plain", async () => {
  const { deps } = testDeps({ debug: true });
  const result = await runWebhook(thrower, gatewayEvent(), deps);
  assert.is(result.statusCode, 500);
  assert.is(result.contentType, "text/plain; charset=utf-8");
  assert.match(result.body, /^An application error occurred\.\n\nTypeError: menu table is missing\n\s+at /);
});

failures("a handler that returns something that is not TwiML gives 500", async () => {
  const { deps, log } = testDeps();
  const result = await runWebhook(() => ({ toString: () => "hello" }), gatewayEvent(), deps);
  assert.is(result.statusCode, 500);
  assert.is(log.lines[0].error, "The handler returned something that is not TwiML (no <Response> element).");
});

failures("an unreadable token store gives 500, names the cause in the log, and leaks nothing", async () => {
  const { handler, seen } = echo();
  const { deps, log } = testDeps();
  deps.tokens = async () => {
    throw new Error("SSM did not answer within 3000 ms.");
  };
  const result = await runWebhook(handler, gatewayEvent(), deps);
  assert.equal(result, { statusCode: 500, contentType: "text/plain; charset=utf-8", body: "An application error occurred." });
  assert.is(seen.length, 0);
  assert.is(log.lines[0].error, "The auth token could not be read: SSM did not answer within 3000 ms.");
});

failures("the token never appears in a log line, whatever a handler logs", async () => {
  const { deps, log } = testDeps();
  const leaky: Webhook = (req) => {
    req.log({ oops: `token is ${TOKEN}` });
    return new VoiceResponse();
  };
  await runWebhook(leaky, gatewayEvent(), deps);
  assert.not.ok(log.raw.join("").includes(TOKEN), "the token is masked");
  assert.is(log.lines[0].oops, "token is [redacted]");
});

failures.run();

const unchecked = suite("runWebhook: signature check turned off");

unchecked("runs the handler without a signature and warns on every request", async () => {
  const { handler, seen } = echo();
  const { deps, log } = testDeps({ verifySignature: false });
  for (let i = 0; i < 2; i++) {
    const result = await runWebhook(handler, gatewayEvent({ token: null }), deps);
    assert.is(result.statusCode, 200);
  }
  assert.is(seen.length, 2);
  assert.equal(log.lines.map((l) => [l.level, l.warning]), [
    ["warn", "The signature check is off for this stage (DENWA_SIGNATURE=off): anyone can call this webhook."],
    ["warn", "The signature check is off for this stage (DENWA_SIGNATURE=off): anyone can call this webhook."],
  ]);
});

unchecked.run();
