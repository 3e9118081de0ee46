// Every URL shape a number's webhook may be configured with, signed exactly as Twilio signs it,
// through our own synthesized dev stack on the emulator (request.vtl included): 200 when signed,
// 403 when anything was changed. Needs dist/ from `make build`, which `make test` runs first.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { sendWebhook } from "../local/simulator/http";
import { signPost } from "../local/simulator/sign";
import { CALL } from "../testkit";
import { readManifest } from "../contract/webhooks";
import { synthStage } from "./helpers/infra-synth";
import { startEmulator, type Emulator } from "./helpers/local-stack";

const TOKEN = "0123456789abcdef0123456789abcdef";
const SHARED_KEY = "local-shared-key-secret-0123";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const GREETING = /<Say language="ja-JP"[^>]*>こんにちは/;

// The part after /dev/voice/hello, as written in the number's configuration (issue 12).
const SHAPES = [
  "?next=/voice/menu",
  "?t=12:30",
  "?x=a,b",
  "?to=user@example.com",
  "?v=/:@,!$()*",
  "?x=%e3%81%82",
  "?x=%E3%81%82",
  "?flag",
  "?flag&x=1",
  "?",
  "?name=William+O'hara",
  "?msg=%E3%81%93%20x%2Fy&retry=1",
  "/",
  "/?next=/voice/menu",
];

type Context = { emulator: Emulator; dir: string };
const shapes = suite<Context>("signed URL shapes through the dev stack on the emulator");

shapes.before(async (context) => {
  context.dir = synthStage("dev", { functions: readManifest() }).dir;
  context.emulator = await startEmulator(context.dir, { TWILIO_AUTH_TOKEN: TOKEN, TWILIO_SHARED_KEY: SHARED_KEY });
});

shapes.after(async ({ emulator, dir }) => {
  await emulator.close();
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

function post(emulator: Emulator, path: string, signature: string, params: Record<string, string> = CALL, headers: Record<string, string> = {}) {
  return emulator.request(path, { method: "POST", headers: { ...FORM, ...headers, "X-Twilio-Signature": signature }, body: new URLSearchParams(params).toString() });
}

/** The same URL with one character added to its query (or path): a changed value, key or route. */
const tampered = (path: string) => (path.includes("?") ? `${path}x` : path.replace(/\/$/, ""));

for (const shape of SHAPES) {
  shapes(`POST /dev/voice/hello${shape}: 200 signed, 403 tampered`, async ({ emulator }) => {
    const path = `/dev/voice/hello${shape}`;
    const signature = signPost(TOKEN, emulator.server.url + path, CALL);
    const answer = await post(emulator, path, signature);
    assert.is(answer.status, 200, `${path}: ${answer.body}`);
    assert.match(answer.body, GREETING);
    assert.is((await post(emulator, tampered(path), signature)).status, 403, `${tampered(path)} with the signature of ${path}`);
    assert.is((await post(emulator, path, signature, { ...CALL, From: "+819099999999" })).status, 403, "a changed body parameter");
    const extra = `${path}${path.includes("?") ? "&" : "?"}injected=1`;
    assert.is((await post(emulator, extra, signature)).status, 403, "an added query parameter");
  });

  shapes(`GET /dev/voice/hello${shape}: the simulator's signed GET is accepted, a changed parameter is not`, async ({ emulator }) => {
    const url = `${emulator.server.url}/dev/voice/hello${shape}`;
    const outcome = await sendWebhook({ url, method: "GET", params: { ...CALL, Caller: "sip:alice@example.com" }, authToken: TOKEN });
    assert.ok(outcome.ok && outcome.status === 200, `${url}: ${outcome.ok ? outcome.body : outcome.message}`);
    const signed = await sendWebhook({ url, method: "GET", params: CALL, authToken: TOKEN });
    assert.ok(signed.ok && signed.status === 200);
  });
}

shapes("a fragment (#rc=… overrides) is left out of the signature: the simulator's POST and GET are accepted", async ({ emulator }) => {
  const url = `${emulator.server.url}/dev/voice/hello?next=/voice/menu#rc=2&ct=1000`;
  for (const method of ["POST", "GET"] as const) {
    const outcome = await sendWebhook({ url, method, params: CALL, authToken: TOKEN });
    assert.ok(outcome.ok && outcome.status === 200, method);
  }
  const withFragment = getExpectedTwilioSignature(TOKEN, url, CALL);
  assert.is((await post(emulator, "/dev/voice/hello?next=/voice/menu", withFragment)).status, 403, "a signature over the fragment cannot be checked, as the server never sees it");
});

shapes("the function logs Twilio's I-Twilio-Idempotency-Token, so a retried request can be spotted", async ({ emulator }) => {
  const token = "4f0e5c1a-0d5e-4c5b-9d1e-000000000042";
  const path = "/dev/voice/hello";
  assert.is((await post(emulator, path, signPost(TOKEN, emulator.server.url + path, CALL), CALL, { "I-Twilio-Idempotency-Token": token })).status, 200);
  const line = emulator.output().split("\n").find((l) => l.includes(token));
  assert.ok(line, "a log line names the token");
  assert.is(JSON.parse(line!).idempotencyToken, token);
});

shapes("a repeated query key cannot be checked: API Gateway hands the function one value, so it is 403", async ({ emulator }) => {
  const path = "/dev/voice/hello?a=1&a=2";
  assert.is((await post(emulator, path, signPost(TOKEN, emulator.server.url + path, CALL))).status, 403);
});

shapes("SharedKey webhooks: HMAC-SHA256 with the shared key is 200; the auth token for SHA-256, or the key for SHA-1, is 403", async ({ emulator }) => {
  const path = "/dev/voice/hello?next=/voice/menu";
  const url = emulator.server.url + path;
  const outcome = await sendWebhook({ url, method: "POST", params: CALL, authToken: `sharedkey:${SHARED_KEY}` });
  assert.ok(outcome.ok && outcome.status === 200, "the simulator signing as a SharedKey webhook");
  const settings = { "X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256" };
  assert.is((await post(emulator, path, getExpectedTwilioSignature(SHARED_KEY, url, CALL, "HMAC_SHA256"), CALL, settings)).status, 200);
  assert.is((await post(emulator, path, getExpectedTwilioSignature(SHARED_KEY, url, CALL, "HMAC_SHA256"), { ...CALL, From: "+819099999999" }, settings)).status, 403, "tampered");
  assert.is((await post(emulator, path, getExpectedTwilioSignature(TOKEN, url, CALL, "HMAC_SHA256"), CALL, settings)).status, 403, "auth token for SHA-256");
  assert.is((await post(emulator, path, signPost(SHARED_KEY, url, CALL))).status, 403, "shared key for SHA-1");
});

shapes.run();
