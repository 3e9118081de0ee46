// The call-forwarding starter walked by the call simulator through the emulator, with a stack
// synthesized from this build: the line is busy, the caller leaves a message, and the recording's
// status callback texts the owner through (a stand-in for) Twilio's REST API. The settings and
// the secret come from .env, as in make dev.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readManifest } from "../contract/webhooks";
import { startServer, type RunningServer } from "../local/server";
import { simulateCall } from "../local/simulator";
import { synthStage } from "./helpers/infra-synth";
import { startTwilioApiStandIn, type TwilioApiStandIn } from "./helpers/twilio-api-stand-in";
import { STAGES } from "../infra/stages";

const TOKEN = "flow-test-token-0123456789abcdef";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
type Context = { emulator: RunningServer; api: TwilioApiStandIn };
const flow = suite<Context>("call forwarding with voicemail, as a caller and Twilio walk it");

flow.before(async (ctx) => {
  ctx.api = await startTwilioApiStandIn(ACCOUNT, { SKflowkey: "flow-api-secret" });
  // As the starter's comment in infra/stages.ts says to do for the SMS: declare the API secret.
  const { dir } = synthStage("dev", { functions: readManifest(), settings: { ...STAGES.dev, functions: { "recording/notify": { secrets: ["TWILIO_API_SECRET"] } } } });
  const dotenvFile = join(mkdtempSync(join(tmpdir(), "denwa-flow-")), ".env");
  writeFileSync(dotenvFile, [
    "FORWARD_TO=+81355550100",
    "NOTIFY_TO=+819011112222",
    "NOTIFY_FROM=+815033334444",
    "TWILIO_API_KEY=SKflowkey",
    `TWILIO_API_URL=${ctx.api.baseUrl}`,
    "TWILIO_API_SECRET=flow-api-secret",
    "",
  ].join("\n"));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  ctx.emulator = await startServer({ stack: dir, port: 0, env: { TWILIO_AUTH_TOKEN: TOKEN }, log: () => {}, functionOutput: quiet, localValues: { env: {}, dotenvFile } });
});
flow.after(async (ctx) => {
  await ctx.emulator.close();
  await ctx.api.close();
});

flow("busy line → a 7-second message → the owner gets an SMS with the recording", async (ctx) => {
  const base = `${ctx.emulator.url}/dev`;
  const call = await simulateCall(`${base}/voice/forward`, { authToken: TOKEN, dial: "busy", record: [{ seconds: 7, end: "#" }], params: { AccountSid: ACCOUNT } });
  assert.is(call.failed, false, "every request was answered as Twilio needs");
  assert.equal(call.heard, [
    "お電話ありがとうございます。担当者におつなぎします。",
    "ただいま電話に出ることができません。発信音のあとにメッセージをどうぞ。終わりましたらシャープを押してください。",
    "メッセージを承りました。失礼いたします。",
  ]);
  const requests = call.events.flatMap((e) => (e.event === "request" ? [`${e.purpose} ${e.method} ${e.url.replace(base, "")} ${e.status}`] : []));
  assert.equal(requests, [
    "call POST /voice/forward 200",
    "dial POST /voice/voicemail 200",
    "record POST /voice/voicemail 200",
    "recording-status POST /recording/notify 200",
  ]);
  const dial = call.events.find((e) => e.event === "dial");
  assert.equal(dial, { event: "dial", to: "+81355550100", status: "busy", seconds: 0 }, "FORWARD_TO came from .env");
  const [sms] = ctx.api.requests;
  assert.is(sms.path, `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
  assert.is(sms.username, "SKflowkey", "signed in with the API key; its secret came from .env, never SSM");
  assert.equal({ To: sms.form.To, From: sms.form.From }, { To: "+819011112222", From: "+815033334444" });
  assert.match(sms.form.Body, new RegExp(`^留守番電話に7秒のメッセージがあります: https://api\\.twilio\\.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE[0-9a-f]{32}$`));
});

flow.run();
