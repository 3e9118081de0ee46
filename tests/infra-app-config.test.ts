import { suite } from "uvu";
import * as assert from "uvu/assert";
import { at, synthStage, type Synthesized } from "./helpers/infra-synth";
import type { StageSettings } from "../infra/stage-config";

const APP_CONFIG: StageSettings = {
  settings: { GREETING: "こんにちは", FORWARD_TO: "+815011112222" },
  secrets: ["CRM_API_KEY"],
  functions: { "voice/menu": { settings: { FORWARD_TO: "+815033334444" }, secrets: ["MENU_TOKEN"] } },
};

const variables = (synth: Synthesized, route: string) =>
  at(synth, "aws_lambda_function", `webhook-${route.replace(/\//g, "-")}/function`).config.environment.variables;
const policyOf = (synth: Synthesized) => JSON.parse(at(synth, "aws_iam_role_policy", "role/policy").config.policy);

const environment = suite("settings and secrets in the Lambda environment");

environment("plain settings reach the environment as JSON, a route's own over the stage's", () => {
  const dev = synthStage("dev", { settings: APP_CONFIG });
  assert.is(variables(dev, "voice/hello").DENWA_SETTINGS, '{"GREETING":"こんにちは","FORWARD_TO":"+815011112222"}');
  assert.is(variables(dev, "voice/menu").DENWA_SETTINGS, '{"GREETING":"こんにちは","FORWARD_TO":"+815033334444"}', "voice/menu forwards elsewhere");
});

environment("secrets reach it only as the names of their parameters, each function its own", () => {
  const dev = synthStage("dev", { settings: APP_CONFIG });
  assert.is(variables(dev, "voice/hello").DENWA_SECRETS, '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY"}');
  assert.is(
    variables(dev, "voice/menu").DENWA_SECRETS,
    '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY","MENU_TOKEN":"/denwa/dev/secrets/MENU_TOKEN"}',
  );
  assert.not.ok(JSON.stringify(dev.json).includes("aws_ssm_parameter"), "the stack never holds a secret value: no SSM parameter resource");
});

environment("a stage that declares nothing adds no variable", () => {
  const dev = synthStage("dev");
  assert.equal(Object.keys(variables(dev, "voice/hello")).filter((name) => /SETTINGS|SECRETS/.test(name)), []);
});

environment.run();

const policy = suite("settings and secrets in the role");

policy("the role reads exactly the token and every declared secret's parameter, with GetParameters", () => {
  const dev = synthStage("dev", { settings: APP_CONFIG });
  const [partition, account] = [Object.keys(dev.json.data.aws_partition)[0], Object.keys(dev.json.data.aws_caller_identity)[0]];
  const arn = (name: string) => `arn:\${data.aws_partition.${partition}.partition}:ssm:ap-northeast-1:\${data.aws_caller_identity.${account}.account_id}:parameter${name}`;
  assert.equal(policyOf(dev).Statement[1], {
    Sid: "ReadAuthTokenAndSecrets",
    Effect: "Allow",
    Action: "ssm:GetParameters",
    Resource: [arn("/denwa/dev/twilio-auth-token"), arn("/denwa/dev/secrets/CRM_API_KEY"), arn("/denwa/dev/secrets/MENU_TOKEN")],
  });
});

policy.run();

const refusals = suite("settings and secrets refused at synth");

const refuses = (settings: StageSettings, message: string) => {
  try {
    synthStage("dev", { settings });
  } catch (err) {
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`must refuse: ${message}`);
};

refusals("names that are not upper-case words, or that AWS, Node.js or denwa already use", () => {
  refuses({ settings: { forwardTo: "x" } }, 'The dev stage\'s settings: The setting name "forwardTo" must be upper-case letters, digits and "_", starting with a letter, such as FORWARD_TO.');
  refuses({ secrets: ["AWS_SECRET_ACCESS_KEY"] }, "The dev stage's secrets: The secret name AWS_SECRET_ACCESS_KEY is taken by AWS, Lambda, Node.js or denwa itself: choose another.");
  refuses({ functions: { "voice/menu": { secrets: ["PORT"] } } }, "The dev stage's function voice/menu secrets: The secret name PORT is taken by AWS, Lambda, Node.js or denwa itself: choose another.");
});

refusals("one name as both a setting and a secret", () => {
  refuses({ settings: { API_KEY: "x" }, functions: { "voice/menu": { secrets: ["API_KEY"] } } }, "The dev stage declares API_KEY for voice/menu both as a setting and as a secret: keep one.");
});

refusals("settings over Lambda's 4 KB of environment (names and values: 149 bytes of denwa's own, 4,025 of this one)", () => {
  refuses({ settings: { LONG: "x".repeat(4000) } }, "The dev stage gives voice/hello 4174 bytes of environment, over Lambda's 4096: move long settings into secrets or shorten them.");
});

refusals.run();
