import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { UserError } from "../contract";
import { at, fakeBuild, ref, resources, synthStage, type Synthesized } from "./helpers/infra-synth";

const dev = synthStage("dev");
const prod = synthStage("prod", {
  settings: {
    logRetentionDays: 90,
    publicBaseUrl: "https://voice.example.jp/",
    signature: "off",
    memoryMb: 512,
    functions: { "voice/menu": { memoryMb: 1024, timeoutSeconds: 5 } },
  },
});

const lambdaOf = (synth: Synthesized, slug: string) => at(synth, "aws_lambda_function", `webhook-${slug}/function`);
const logsOf = (synth: Synthesized, slug: string) => at(synth, "aws_cloudwatch_log_group", `webhook-${slug}/logs`);

const logs = suite("WebhookFunction log group");

logs("each function has its own log group, with the stage's retention", () => {
  for (const { slug } of dev.functions) {
    assert.equal(logsOf(dev, slug).config.name, `/aws/lambda/denwa-dev-${slug}`);
    assert.is(logsOf(dev, slug).config.retention_in_days, 30, `dev ${slug} keeps 30 days (default)`);
    assert.is(logsOf(prod, slug).config.retention_in_days, 90, `prod ${slug} keeps the stated 90 days`);
  }
});

logs("the function waits for its log group, so that Lambda never creates an unretained one", () => {
  for (const { slug } of dev.functions) {
    assert.ok(lambdaOf(dev, slug).config.depends_on.includes(`aws_cloudwatch_log_group.${logsOf(dev, slug).name}`), slug);
  }
});

logs.run();

const lambda = suite("WebhookFunction function");

lambda("runs index.handler on nodejs22.x, arm64, named after app, stage and route", () => {
  assert.is(Object.keys(resources(dev, "aws_lambda_function")).length, dev.functions.length, "one function per built webhook");
  for (const { slug, route } of dev.functions) {
    const fn = lambdaOf(dev, slug).config;
    assert.is(fn.function_name, `denwa-dev-${slug}`);
    assert.is(fn.runtime, "nodejs22.x");
    assert.equal(fn.architectures, ["arm64"]);
    assert.is(fn.handler, "index.handler");
    assert.is(fn.description, `Twilio webhook /${route}`);
  }
});

lambda("deploys the zip copied into the stack folder, with the manifest's base64 sha256 as source_code_hash", () => {
  for (const synth of [dev, prod]) {
    for (const built of synth.functions) {
      const fn = lambdaOf(synth, built.slug).config;
      assert.not.ok(isAbsolute(fn.filename), "filename is relative to the stack folder");
      const copied = join(synth.dir, fn.filename);
      assert.ok(existsSync(copied), `${fn.filename} exists in the stack folder`);
      // Debug on (dev): the zip with the source map; debug off (prod): the bundle alone.
      const expected = synth === dev ? built.sourceMapped : built;
      assert.is(fn.source_code_hash, expected.sha256, `${synth.stage} ${built.route} deploys the ${synth === dev ? "source-mapped" : "plain"} zip`);
      assert.ok(readFileSync(copied).equals(readFileSync(expected.zip)), "the copied zip is that one");
      assert.is(createHash("sha256").update(readFileSync(copied)).digest("base64"), fn.source_code_hash, "the hash is the copied zip's own");
    }
  }
});

lambda("memory and timeout come from the stage, per route where stated", () => {
  assert.is(lambdaOf(dev, "voice-hello").config.memory_size, 256);
  assert.is(lambdaOf(dev, "voice-hello").config.timeout, 10);
  assert.is(lambdaOf(prod, "voice-hello").config.memory_size, 512);
  assert.is(lambdaOf(prod, "voice-hello").config.timeout, 10);
  assert.is(lambdaOf(prod, "voice-menu").config.memory_size, 1024);
  assert.is(lambdaOf(prod, "voice-menu").config.timeout, 5);
});

lambda("the environment names stage, route, debug, signature and token parameter (and source maps when debug), never the token", () => {
  assert.equal(lambdaOf(dev, "voice-hello").config.environment, {
    variables: {
      DENWA_STAGE: "dev",
      DENWA_ROUTE: "voice/hello",
      DENWA_DEBUG: "true",
      DENWA_SIGNATURE: "on",
      DENWA_TOKEN_PARAMETER: "/denwa/dev/twilio-auth-token",
      // Node reads index.js.map only with this; Lambda's Node honours NODE_OPTIONS.
      NODE_OPTIONS: "--enable-source-maps",
    },
  });
  assert.equal(lambdaOf(prod, "sms-reply").config.environment, {
    variables: {
      DENWA_STAGE: "prod",
      DENWA_ROUTE: "sms/reply",
      DENWA_DEBUG: "false",
      DENWA_SIGNATURE: "off",
      DENWA_TOKEN_PARAMETER: "/denwa/prod/twilio-auth-token",
      DENWA_PUBLIC_BASE_URL: "https://voice.example.jp",
    },
  });
  assert.not.ok(JSON.stringify(dev.json).includes("TWILIO_AUTH_TOKEN"), "no token in the stack");
});

lambda("API Gateway invokes each function through its invoke ARN", () => {
  const integrations = Object.values(resources(dev, "aws_api_gateway_integration"));
  const uri = ref(dev, "aws_lambda_function", "webhook-voice-hello/function", "invoke_arn");
  assert.is(integrations.filter((integration) => integration.uri === uri).length, 2, "GET and POST of voice/hello");
});

lambda.run();

const build = suite("WebhookFunction build check");

build("refuses a zip that is missing or differs from its manifest entry", () => {
  const [built] = fakeBuild(["voice/hello"]);
  writeFileSync(built.zip, "changed after the manifest was written");
  assert.throws(() => synthStage("prod", { functions: [built] }), (error: unknown) =>
    error instanceof UserError && error.message === `The zip of voice/hello at ${built.zip} does not match the sha256 in the manifest: run \`make build\` again.`);
  const missing = { ...built, zip: `${built.zip}.gone` };
  assert.throws(() => synthStage("prod", { functions: [missing] }), (error: unknown) =>
    error instanceof UserError && error.message === `The zip of voice/hello is missing at ${missing.zip}: run \`make build\` first.`);
  // A debug stage checks the zip it deploys: the source-mapped one.
  const unmapped = { ...built, sourceMapped: { ...built.sourceMapped, zip: `${built.sourceMapped.zip}.gone` } };
  assert.throws(() => synthStage("dev", { functions: [unmapped] }), (error: unknown) =>
    error instanceof UserError && error.message === `The zip of voice/hello is missing at ${unmapped.sourceMapped.zip}: run \`make build\` first.`);
});

build.run();
