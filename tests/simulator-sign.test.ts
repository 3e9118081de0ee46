import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getExpectedTwilioSignature, getSignatureAlgorithm, validateRequest } from "twilio/lib/webhooks/webhooks";
import { sendWebhook } from "../local/simulator/http";
import { signatureHeaders, signGet, signPost, withQuery } from "../local/simulator/sign";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const PARAMS = { CallSid: "CA0123456789abcdef0123456789abcdef", Body: "日本語 😀 & = + % '\"", Empty: "" };

const query = suite("withQuery: the URL a GET goes to");

query("appends to a URL with no query, to an existing query, and drops a fragment", () => {
  assert.is(withQuery("https://h/p", { A: "1 2", B: "+81" }), "https://h/p?A=1+2&B=%2B81");
  assert.is(withQuery("https://h/p?retry=1", { A: "x" }), "https://h/p?retry=1&A=x");
  assert.is(withQuery("https://h/p?", { A: "x" }), "https://h/p?A=x");
  assert.is(withQuery("https://h/p#frag", { A: "x" }), "https://h/p?A=x");
  assert.is(withQuery("https://h/p", {}), "https://h/p");
  assert.is(withQuery("https://h/p#rc=2", {}), "https://h/p", "the fragment goes even with no parameters");
});

query.run();

const wire = suite<{ server: Fixture }>("X-Twilio-Signature: what the simulator sends is what twilio computes");

wire.before(async (ctx) => {
  ctx.server = await startFixture({ "/voice": () => twiml("") });
});
wire.before.each((ctx) => void (ctx.server.received.length = 0));
wire.after(async (ctx) => ctx.server.close());

wire("POST: the header equals getExpectedTwilioSignature for the exact URL (query included) and the form fields", async (ctx) => {
  const url = `${ctx.server.base}/voice?tenant=a%20b&x=1`;
  await sendWebhook({ url, method: "POST", params: PARAMS, authToken: TOKEN });
  const received = ctx.server.received[0];
  assert.is(received.headers["x-twilio-signature"], getExpectedTwilioSignature(TOKEN, url, PARAMS));
  assert.is(received.headers["x-twilio-signature"], signPost(TOKEN, url, PARAMS));
  assert.equal(received.params, PARAMS, "every parameter arrives intact");
  assert.is(received.signatureValid, true, "validateRequest accepts it");
});

wire("GET: the parameters are in the query and the header signs the full URL with no body", async (ctx) => {
  const url = `${ctx.server.base}/voice?retry=1`;
  await sendWebhook({ url, method: "GET", params: PARAMS, authToken: TOKEN });
  const received = ctx.server.received[0];
  const full = withQuery(url, PARAMS);
  assert.is(received.url, full, "the server saw the URL the simulator signed");
  assert.is(received.headers["x-twilio-signature"], getExpectedTwilioSignature(TOKEN, full, {}));
  assert.is(received.headers["x-twilio-signature"], signGet(TOKEN, full));
  assert.ok(validateRequest(TOKEN, String(received.headers["x-twilio-signature"]), full, {}));
  assert.equal(received.params, { retry: "1", ...PARAMS });
});

wire("a fragment (#rc=… connection overrides) is not signed: POST and GET sign the URL the server sees", async (ctx) => {
  const configured = `${ctx.server.base}/voice?tenant=1#rc=2&ct=1000`;
  await sendWebhook({ url: configured, method: "POST", params: PARAMS, authToken: TOKEN });
  await sendWebhook({ url: configured, method: "GET", params: PARAMS, authToken: TOKEN });
  const [post, get] = ctx.server.received;
  assert.is(post.url, `${ctx.server.base}/voice?tenant=1`, "the fragment never reaches the server");
  assert.is(post.headers["x-twilio-signature"], getExpectedTwilioSignature(TOKEN, `${ctx.server.base}/voice?tenant=1`, PARAMS));
  assert.is(get.headers["x-twilio-signature"], getExpectedTwilioSignature(TOKEN, withQuery(`${ctx.server.base}/voice?tenant=1`, PARAMS), {}));
  assert.ok(post.signatureValid && get.signatureValid, "validateRequest accepts both over the URL without its fragment");
});

wire("sharedkey:SECRET signs as a SharedKey webhook: HMAC-SHA256, announced by the settings header", async (ctx) => {
  const url = `${ctx.server.base}/voice?tenant=a`;
  await sendWebhook({ url, method: "POST", params: PARAMS, authToken: "sharedkey:shared-secret-0123" });
  const received = ctx.server.received[0];
  const settings = String(received.headers["x-twilio-webhooks-signature-settings"]);
  assert.is(settings, "key=webhooks_sharedkey_local,algorithm=HMAC_SHA256");
  assert.is(getSignatureAlgorithm(settings), "HMAC_SHA256");
  assert.is(received.headers["x-twilio-signature"], getExpectedTwilioSignature("shared-secret-0123", url, PARAMS, "HMAC_SHA256"));
  assert.ok(validateRequest("shared-secret-0123", String(received.headers["x-twilio-signature"]), url, PARAMS, "HMAC_SHA256"));
  assert.equal(signatureHeaders(TOKEN, "POST", url, PARAMS), { "X-Twilio-Signature": signPost(TOKEN, url, PARAMS) }, "an auth token signs HMAC-SHA1 with no settings header");
});

wire("no token: the request goes out without a signature and the server refuses it", async (ctx) => {
  const outcome = await sendWebhook({ url: `${ctx.server.base}/voice`, method: "POST", params: PARAMS });
  assert.is(ctx.server.received[0].headers["x-twilio-signature"], undefined);
  assert.ok(outcome.ok && outcome.status === 403);
});

wire.run();
