import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserError } from "../contract";
import { resolveAlarms } from "../infra/alarm-settings";
import type { StageName } from "../infra/names";
import { functionSize, resolveStageConfig, type StageSettings } from "../infra/stage-config";
import { STAGES } from "../infra/stages";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STAGE_NAMES } from "../infra/names";
import { SETTINGS } from "../infra/stage-config";
import { settingsTable, tableIn, type Language } from "./helpers/settings-table";

/** Asserts that resolving fails with exactly this sentence, as a UserError. */
function refuses(stage: StageName, settings: StageSettings, message: string): void {
  assert.throws(
    () => resolveStageConfig(stage, settings),
    (error: unknown) => {
      if (!(error instanceof UserError)) return false;
      assert.is(error.message, message);
      return true;
    },
    `expected: ${message}`,
  );
}

const defaults = suite("resolveStageConfig defaults");

defaults("a stage that states nothing gets every default, debug on for dev", () => {
  assert.equal(resolveStageConfig("dev"), {
    stage: "dev",
    region: "ap-northeast-1",
    debug: true,
    signature: "on",
    publicBaseUrl: undefined,
    tokenParameter: "/denwa/dev/twilio-auth-token",
    logRetentionDays: 30,
    throttle: { rateLimit: 10, burstLimit: 20 },
    memoryMb: 256,
    timeoutSeconds: 10,
    settings: {},
    secrets: [],
    functions: {},
    wire: { voice: "voice/hello", voiceFallback: "fallback", statusCallback: "call/status", sms: "sms/reply", smsFallback: "fallback" },
    voice: "Polly.Kazuha-Neural",
    remoteState: undefined,
    accountCloudWatchRoleArn: undefined,
    tags: {},
    alarms: resolveAlarms("dev"),
    domain: undefined,
  });
});

defaults("prod defaults to debug off and its own token parameter", () => {
  const prod = resolveStageConfig("prod");
  assert.is(prod.debug, false);
  assert.is(prod.tokenParameter, "/denwa/prod/twilio-auth-token");
});

defaults("stated settings win; a partial throttle keeps the other default", () => {
  const config = resolveStageConfig("dev", { region: "us-east-1", debug: false, signature: "off", throttle: { burstLimit: 5 }, memoryMb: 512, logRetentionDays: 7 });
  assert.is(config.region, "us-east-1");
  assert.is(config.debug, false);
  assert.is(config.signature, "off");
  assert.equal(config.throttle, { rateLimit: 10, burstLimit: 5 });
  assert.is(config.memoryMb, 512);
  assert.is(config.logRetentionDays, 7);
});

defaults("the public base URL loses its trailing slashes", () => {
  assert.is(resolveStageConfig("prod", { publicBaseUrl: "https://voice.example.jp/" }).publicBaseUrl, "https://voice.example.jp");
  assert.is(resolveStageConfig("prod", { publicBaseUrl: "https://example.jp/denwa//" }).publicBaseUrl, "https://example.jp/denwa");
});

defaults("remote state defaults its key to the stage and its region to the stage's", () => {
  assert.equal(resolveStageConfig("prod", { region: "us-west-2", remoteState: { bucket: "my-state" } }).remoteState, {
    bucket: "my-state",
    key: "denwa/prod/terraform.tfstate",
    region: "us-west-2",
  });
  assert.equal(resolveStageConfig("dev", { remoteState: { bucket: "my-state", key: "k/dev.tfstate", region: "eu-west-1" } }).remoteState, {
    bucket: "my-state",
    key: "k/dev.tfstate",
    region: "eu-west-1",
  });
});

defaults("per-route sizes fall back to the stage's memory and timeout", () => {
  const config = resolveStageConfig("dev", { memoryMb: 512, functions: { "voice/menu": { timeoutSeconds: 5 } } });
  assert.equal(functionSize(config, "voice/menu"), { memoryMb: 512, timeoutSeconds: 5 });
  assert.equal(functionSize(config, "voice/hello"), { memoryMb: 512, timeoutSeconds: 10 });
});

defaults("the project's own stages resolve, prod with debug off", () => {
  assert.is(resolveStageConfig("dev", STAGES.dev).debug, true);
  assert.is(resolveStageConfig("prod", STAGES.prod).debug, false);
});

defaults.run();

const refusals = suite("resolveStageConfig refusals");

refusals("prod can never be synthesized with debug on", () => {
  refuses("prod", { debug: true }, "The prod stage can never be synthesized with debug on, as debug answers show error messages and stacks to callers.");
});

refusals("a timeout at or above Twilio's 15 seconds, or not whole", () => {
  const sentence = (value: number, who = "The dev stage's") =>
    `${who} timeoutSeconds ${value} must be a whole number from 1 to 14, below Twilio's 15-second webhook limit.`;
  refuses("dev", { timeoutSeconds: 15 }, sentence(15));
  refuses("dev", { timeoutSeconds: 0 }, sentence(0));
  refuses("dev", { timeoutSeconds: 2.5 }, sentence(2.5));
  refuses("dev", { functions: { "voice/menu": { timeoutSeconds: 20 } } }, sentence(20, "The dev stage's function voice/menu"));
  assert.is(resolveStageConfig("dev", { timeoutSeconds: 14 }).timeoutSeconds, 14, "14 s is allowed");
});

refusals("a retention CloudWatch Logs does not accept, never-expire included", () => {
  const list = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
  refuses("dev", { logRetentionDays: 10 as never }, `The dev stage's logRetentionDays 10 is not one CloudWatch Logs accepts (${list}).`);
  refuses("prod", { logRetentionDays: 0 as never }, `The prod stage's logRetentionDays 0 is not one CloudWatch Logs accepts (${list}).`);
});

refusals("a public base URL that is not plain https", () => {
  const sentence = (url: string) =>
    `The prod stage's publicBaseUrl "${url}" must be an https URL with no query or fragment, such as https://voice.example.jp.`;
  for (const url of ["http://voice.example.jp", "voice.example.jp", "https://voice.example.jp/?a=1", "https://voice.example.jp/#x", "https://u:p@voice.example.jp", "https://"]) {
    refuses("prod", { publicBaseUrl: url }, sentence(url));
  }
});

refusals("memory outside Lambda's range", () => {
  refuses("dev", { memoryMb: 64 }, "The dev stage's memoryMb 64 must be a whole number of megabytes from 128 to 10240.");
  refuses("dev", { memoryMb: 20000 }, "The dev stage's memoryMb 20000 must be a whole number of megabytes from 128 to 10240.");
});

refusals("throttling that would block everything", () => {
  refuses("dev", { throttle: { rateLimit: 0 } }, "The dev stage's throttle rateLimit 0 must be a number of requests per second above 0.");
  refuses("dev", { throttle: { burstLimit: 1.5 } }, "The dev stage's throttle burstLimit 1.5 must be a whole number of requests above 0.");
});

refusals("a region, token parameter, signature, voice or role ARN that cannot be right", () => {
  refuses("dev", { region: "tokyo" }, 'The dev stage\'s region "tokyo" is not an AWS region name such as ap-northeast-1.');
  refuses("dev", { tokenParameter: "denwa/dev/token" }, 'The dev stage\'s tokenParameter "denwa/dev/token" must be an SSM parameter path such as /denwa/dev/twilio-auth-token.');
  refuses("dev", { signature: "no" as never }, 'The dev stage\'s signature must be "on" or "off", not "no".');
  refuses("dev", { voice: "Polly Kazuha" as never }, 'The dev stage\'s voice "Polly Kazuha" holds characters a stage variable cannot.');
  refuses("prod", { accountCloudWatchRoleArn: "my-role" }, 'The prod stage\'s accountCloudWatchRoleArn "my-role" is not an IAM role ARN.');
});

refusals("remote state and tags AWS would refuse", () => {
  refuses("prod", { remoteState: { bucket: "My_Bucket" } }, 'The prod stage\'s remoteState bucket "My_Bucket" is not an S3 bucket name.');
  refuses("prod", { remoteState: { bucket: "state", key: "/abs" } }, 'The prod stage\'s remoteState key "/abs" must be a relative object key such as denwa/prod/terraform.tfstate.');
  refuses("prod", { tags: { "aws:owner": "me" } }, 'The prod stage\'s tag "aws:owner" is not one AWS accepts (a key of 1 to 128 characters not starting with aws:, a value of at most 256).');
});

refusals("a wire setting that names no route, or a webhook make wire does not set", () => {
  refuses("dev", { wire: { sms: "SMS/Reply" } }, 'The dev stage\'s wire sms: The route "SMS/Reply" is not lower-case words, digits and dashes separated by "/", such as voice/hello.');
  refuses("dev", { wire: { fax: "fax/in" } as never }, "The dev stage's wire names fax, which is not one of voice, voiceFallback, statusCallback, sms, smsFallback.");
});

refusals.run();

const table = suite("SETTINGS");

table("every stage's defaults pass their own checks, and each row has a doc in both languages", () => {
  for (const stage of STAGE_NAMES) resolveStageConfig(stage);
  for (const [key, row] of Object.entries(SETTINGS)) {
    assert.ok(row.doc.en.length > 0 && row.doc.ja.length > 0, `${key} is documented in English and Japanese`);
    assert.not.ok(/\n|\|/.test(row.doc.en + row.doc.ja), `${key}'s doc is one table cell`);
  }
});

table("the README tables are SETTINGS, row for row, in both languages", () => {
  for (const [file, language] of [["README.md", "en"], ["README.ja.md", "ja"]] as [string, Language][]) {
    const readme = readFileSync(join(__dirname, "..", file), "utf8");
    const expected = settingsTable(language);
    assert.is(tableIn(readme, language), expected, `${file}'s stage settings table must read, from infra/stage-config.ts:\n${expected}\n`);
  }
});

table.run();
