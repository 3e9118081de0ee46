// The Twilio alerts starter: called directly, and built, synthesized and served by the emulator
// as Twilio's Debugger webhook calls it (a signed form POST of the documented parameters,
// tests/helpers/twilio-alert.ts), its one log line read back as CloudWatch would count it.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import alerts from "../functions/twilio/alerts";
import { SIGNATURE_FAILURE_PATTERN, TWILIO_ALERT_PATTERN } from "../infra/stage-alarms";
import { signPost } from "../local/simulator/sign";
import { readManifest } from "../contract/webhooks";
import { twilioRequest, XML_HEAD } from "../testkit";
import { synthStage } from "./helpers/infra-synth";
import { startEmulator, type Emulator } from "./helpers/local-stack";
import { ALERT_EVENT, FAILING_URL } from "./helpers/twilio-alert";

const handler = suite("twilio/alerts");

handler("answers an empty response and puts the alert on the request's log line", () => {
  const req = twilioRequest({ ...ALERT_EVENT }, { route: "/twilio/alerts" });
  assert.is(alerts(req).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(req.logged, {
    alertCode: "11200",
    alertLevel: "Error",
    alertSid: ALERT_EVENT.Sid,
    alertUrl: FAILING_URL,
    sid: "CA5f3c1a2b4d6e8f0a1b2c3d4e5f6a7b8c",
    alertDescription: "An attempt to retrieve content from https://voice.example.jp/voice/menu returned the HTTP status code 502",
  });
});

handler.run();

const TOKEN = "0123456789abcdef0123456789abcdef";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const PATH = "/dev/twilio/alerts";

type Context = { emulator: Emulator; dir: string };
const served = suite<Context>("twilio/alerts through the emulator");

served.before(async (context) => {
  context.dir = synthStage("dev", { functions: readManifest().filter((built) => built.route === "twilio/alerts") }).dir;
  context.emulator = await startEmulator(context.dir, { TWILIO_AUTH_TOKEN: TOKEN });
});

served.after(async ({ emulator, dir }) => {
  await emulator.close();
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

const post = (emulator: Emulator, params: Record<string, string>, signature = signPost(TOKEN, emulator.server.url + PATH, params)) =>
  emulator.request(PATH, { method: "POST", headers: { ...FORM, "X-Twilio-Signature": signature }, body: new URLSearchParams(params).toString() });

/** The function's first JSON log line for which `matches` holds, once written. */
const logLine = async (emulator: Emulator, matches: (line: Record<string, unknown>) => boolean) =>
  JSON.parse(await emulator.outputLine((text) => text.startsWith("{") && matches(JSON.parse(text)))) as Record<string, unknown>;

served("a signed alert is answered 200 <Response/> and logged as one line the alerts filter counts by code", async ({ emulator }) => {
  const answer = await post(emulator, { ...ALERT_EVENT });
  assert.is(answer.status, 200);
  assert.is(answer.body, `${XML_HEAD}<Response/>`);
  const { requestId, ms, ...line } = await logLine(emulator, (line) => line.alertSid === ALERT_EVENT.Sid);
  assert.type(requestId, "string");
  assert.type(ms, "number");
  assert.equal(line, {
    level: "info",
    stage: "dev",
    route: "twilio/alerts",
    sid: "CA5f3c1a2b4d6e8f0a1b2c3d4e5f6a7b8c",
    alertCode: "11200",
    alertLevel: "Error",
    alertSid: ALERT_EVENT.Sid,
    alertUrl: FAILING_URL,
    alertDescription: "An attempt to retrieve content from https://voice.example.jp/voice/menu returned the HTTP status code 502",
    status: 200,
  });
  // { $.alertCode = "*" } matches a line whose alertCode is a string; the metric's dimension is its value.
  assert.is(TWILIO_ALERT_PATTERN, '{ $.alertCode = "*" }');
  assert.type(line.alertCode, "string");
});

served("an unsigned alert is a 403, logged with the status the signature-failure filter counts", async ({ emulator }) => {
  const forged = { ...ALERT_EVENT, Sid: "NO9999999999999999999999999999999f" };
  const answer = await post(emulator, forged, "bm90IGEgc2lnbmF0dXJl");
  assert.is(answer.status, 403);
  assert.is(answer.body, "The X-Twilio-Signature header does not match this request.");
  assert.is(SIGNATURE_FAILURE_PATTERN, "{ $.status = 403 }");
  const failure = await logLine(emulator, (line) => line.status === 403);
  assert.is(failure.alertCode, undefined, "a forged alert is never counted as an alert");
});

served("a signed post whose Payload is not an alert is a 400 that says so", async ({ emulator }) => {
  const answer = await post(emulator, { ...ALERT_EVENT, Payload: "{}" });
  assert.is(answer.status, 400);
  assert.is(answer.body, "This is not a Twilio Debugger alert: its Payload must be JSON with an error_code.");
});

served.run();
