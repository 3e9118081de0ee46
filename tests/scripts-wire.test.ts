import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wire } from "../scripts/wire";
import { startTwilioApiStandIn, type TwilioApiStandIn } from "./helpers/twilio-api-stand-in";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "0123456789abcdef0123456789abcdef";
const KEY = "SK0123456789abcdef0123456789abcdef";
const KEY_SECRET = "key-secret-0123456789";
const NUMBER = "+815012345678";
const BASE = "https://abc123.execute-api.ap-northeast-1.amazonaws.com/dev";

const outputsDir = mkdtempSync(join(tmpdir(), "denwa-outputs-"));
writeFileSync(
  join(outputsDir, "dev.json"),
  JSON.stringify({ "denwa-dev": { invoke_url: BASE, webhook_urls: Object.fromEntries(["call/status", "fallback", "sms/reply", "voice/hello", "voice/menu"].map((r) => [r, `${BASE}/${r}`])) } }),
);

async function withTwilio(run: (api: TwilioApiStandIn, env: NodeJS.ProcessEnv, printed: string[]) => Promise<void>) {
  const api = await startTwilioApiStandIn(ACCOUNT, { [ACCOUNT]: TOKEN, [KEY]: KEY_SECRET });
  api.numbers.set("PN0123456789abcdef0123456789abcdef", {
    sid: "PN0123456789abcdef0123456789abcdef",
    account_sid: ACCOUNT,
    phone_number: NUMBER,
    voice_url: "https://demo.twilio.com/welcome/voice/",
    voice_method: "POST",
    sms_url: "",
    sms_method: "POST",
  });
  try {
    await run(api, { STAGE: "dev", NUMBER, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_API_BASE_URL: api.baseUrl }, []);
  } finally {
    await api.close();
  }
}

const refusal = async (env: NodeJS.ProcessEnv, expected: string) => {
  await wire({ env, print: () => {}, outputsDir }).then(
    () => assert.unreachable("must refuse"),
    (err: Error) => assert.is(err.message, expected),
  );
};

const wiring = suite("wire");

wiring("with the alerts starter deployed, says where in the console its URL goes, as the REST API cannot set it", () =>
  withTwilio(async (api, env, printed) => {
    const withAlerts = mkdtempSync(join(tmpdir(), "denwa-outputs-"));
    const routes = ["call/status", "fallback", "sms/reply", "twilio/alerts", "voice/hello", "voice/menu"];
    writeFileSync(join(withAlerts, "dev.json"), JSON.stringify({ "denwa-dev": { invoke_url: BASE, webhook_urls: Object.fromEntries(routes.map((r) => [r, `${BASE}/${r}`])) } }));
    await wire({ env, print: (l) => printed.push(l), outputsDir: withAlerts });
    assert.equal(printed.slice(-2), [
      `Twilio's REST API cannot set the Debugger webhook: paste ${BASE}/twilio/alerts in the Twilio console under Monitor > Logs > Errors > Webhook.`,
      `${NUMBER} now calls the dev stage: ${BASE}/voice/hello`,
    ]);
    assert.is(api.requests.length, 2, "the number's lookup and update, nothing else");
  }),
);

wiring("points voice, fallback, status callback and SMS at the stage's outputs", () =>
  withTwilio(async (api, env, printed) => {
    await wire({ env, print: (l) => printed.push(l), outputsDir });
    assert.equal(api.requests.map((r) => [r.method, r.path, r.username]), [
      ["GET", `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`, ACCOUNT],
      ["POST", `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers/PN0123456789abcdef0123456789abcdef.json`, ACCOUNT],
    ]);
    assert.is(api.requests[0].query.PhoneNumber, NUMBER);
    assert.equal(api.requests[1].form, {
      VoiceUrl: `${BASE}/voice/hello`,
      VoiceMethod: "POST",
      VoiceFallbackUrl: `${BASE}/fallback`,
      VoiceFallbackMethod: "POST",
      StatusCallback: `${BASE}/call/status`,
      StatusCallbackMethod: "POST",
      SmsUrl: `${BASE}/sms/reply`,
      SmsMethod: "POST",
      SmsFallbackUrl: `${BASE}/fallback`,
      SmsFallbackMethod: "POST",
    });
    assert.match(printed.join("\n"), /^voiceUrl\s+https:\/\/demo\.twilio\.com\/welcome\/voice\/\s+https:\/\/abc123\.execute-api\.ap-northeast-1\.amazonaws\.com\/dev\/voice\/hello$/m);
    assert.is(printed.at(-1), `${NUMBER} now calls the dev stage: ${BASE}/voice/hello`);
    assert.not.ok(printed.join("\n").includes(TOKEN), "the token is never printed");
  }));

wiring("FN chooses the voice webhook, and an API key authenticates instead of the token", () =>
  withTwilio(async (api, env) => {
    await wire({ env: { ...env, FN: "voice/menu", TWILIO_AUTH_TOKEN: undefined, TWILIO_API_KEY: KEY, TWILIO_API_SECRET: KEY_SECRET }, print: () => {}, outputsDir });
    assert.is(api.requests[1].form.VoiceUrl, `${BASE}/voice/menu`);
    assert.is(api.requests[1].username, KEY);
  }));

wiring("DRY_RUN=1 prints the before/after table and sends no change", () =>
  withTwilio(async (api, env, printed) => {
    await wire({ env: { ...env, DRY_RUN: "1" }, print: (l) => printed.push(l), outputsDir });
    assert.equal(api.requests.map((r) => r.method), ["GET"], "only the look-up is sent");
    assert.match(printed[0], /^setting\s+before\s+after\n/);
    assert.match(printed[0], /^voiceMethod\s+POST\s+\(same\)$/m);
    assert.is(printed[1], `DRY_RUN=1: nothing changed on ${NUMBER}.`);
  }));

wiring("the stage's wire setting chooses the routes, and null leaves a webhook of the number as it is", () =>
  withTwilio(async (api, env, printed) => {
    const stages = { dev: { wire: { voice: "voice/menu", sms: null, smsFallback: null } }, prod: {} };
    await wire({ env, print: (l) => printed.push(l), outputsDir, stages });
    assert.equal(api.requests[1].form, {
      VoiceUrl: `${BASE}/voice/menu`,
      VoiceMethod: "POST",
      VoiceFallbackUrl: `${BASE}/fallback`,
      VoiceFallbackMethod: "POST",
      StatusCallback: `${BASE}/call/status`,
      StatusCallbackMethod: "POST",
    }, "no Sms* field is sent, so Twilio keeps the number's SMS webhooks");
    assert.match(printed[0], /^smsUrl\s+-\s+\(left as it is\)$/m);
  }));

wiring("a wire setting that names a route the stage did not deploy is one sentence naming the setting", () =>
  withTwilio(async (_api, env) => {
    await wire({ env, print: () => {}, outputsDir, stages: { dev: { wire: { statusCallback: "calls/status" } }, prod: {} } }).then(
      () => assert.unreachable("must refuse"),
      (err: Error) => assert.is(err.message, "wire.statusCallback (calls/status) names no webhook of the dev stage, which has call/status, fallback, sms/reply, voice/hello, voice/menu: change it in infra/stages.ts, or set it to null to leave the number's statusCallback webhook as it is."),
    );
  }));

wiring.run();

const refusals = suite("wire: one sentence for each problem");

refusals("a number that is not in the account", () =>
  withTwilio(async (_api, env) => refusal({ ...env, NUMBER: "+815000000000" }, `+815000000000 is not a phone number of account ${ACCOUNT}.`)));

refusals("wrong credentials", () =>
  withTwilio(async (_api, env) =>
    refusal({ ...env, TWILIO_AUTH_TOKEN: "ffffffffffffffffffffffffffffffff" }, "Twilio refused these credentials (HTTP 401): check TWILIO_ACCOUNT_SID and the token or API key.")));

refusals("missing or malformed variables", async () => {
  const env = { STAGE: "dev", NUMBER, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN };
  await refusal({ ...env, NUMBER: undefined }, "NUMBER=(unset) must be a phone number in E.164 form, such as +815012345678.");
  await refusal({ ...env, NUMBER: "050-1234-5678" }, "NUMBER=050-1234-5678 must be a phone number in E.164 form, such as +815012345678.");
  await refusal({ ...env, TWILIO_ACCOUNT_SID: undefined }, "TWILIO_ACCOUNT_SID must be set to your account SID (AC followed by 32 hexadecimal characters).");
  await refusal({ ...env, TWILIO_AUTH_TOKEN: undefined }, "Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET, to let make wire change the number.");
  await refusal({ ...env, STAGE: "staging" }, "STAGE=staging is not a stage of this project; use one of dev, prod.");
  await refusal(
    { ...env, FN: "voice/nope" },
    "FN=voice/nope names no webhook of the dev stage, which has call/status, fallback, sms/reply, voice/hello, voice/menu: change it in infra/stages.ts, or set it to null to leave the number's voice webhook as it is.",
  );
});

refusals("outputs that do not exist yet", async () => {
  const env = { STAGE: "prod", NUMBER, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN };
  await refusal(env, `No outputs of the prod stage at ${join(outputsDir, "prod.json")}: deploy it (make deploy STAGE=prod), then run make outputs STAGE=prod.`);
});

refusals("the command prints the sentence alone on stderr and exits non-zero", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/wire.ts"], { encoding: "utf8", env: { PATH: process.env.PATH, STAGE: "dev" } });
  assert.is(run.status, 2);
  assert.is(run.stderr, "make wire: NUMBER=(unset) must be a phone number in E.164 form, such as +815012345678.\n");
  assert.is(run.stdout, "");
});

refusals.run();
