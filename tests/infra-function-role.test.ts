import { suite } from "uvu";
import * as assert from "uvu/assert";
import { at, ref, resources, synthStage, type Synthesized } from "./helpers/infra-synth";

const dev = synthStage("dev");
const prod = synthStage("prod", { settings: { region: "us-west-2", tokenParameter: "/team/prod/twilio" } });

const policyOf = (synth: Synthesized) => JSON.parse(at(synth, "aws_iam_role_policy", "role/policy").config.policy);
const partition = (synth: Synthesized) => `\${data.aws_partition.${Object.keys(synth.json.data.aws_partition)[0]}.partition}`;
const account = (synth: Synthesized) => `\${data.aws_caller_identity.${Object.keys(synth.json.data.aws_caller_identity)[0]}.account_id}`;

const trust = suite("FunctionRole trust");

trust("only lambda.amazonaws.com may assume the role", () => {
  const role = at(dev, "aws_iam_role", "role/role").config;
  assert.is(role.name, "denwa-dev-functions");
  assert.equal(JSON.parse(role.assume_role_policy), {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  assert.is(Object.keys(resources(dev, "aws_iam_role")).length, 1, "one role for all of the stage's functions");
});

trust("every function runs as that role", () => {
  const arn = ref(dev, "aws_iam_role", "role/role", "arn");
  for (const [name, fn] of Object.entries(resources(dev, "aws_lambda_function"))) assert.is(fn.role, arn, `${name} runs as the stage's role`);
});

trust.run();

const policy = suite("FunctionRole policy");

policy("is inline on the role, and the functions wait for it", () => {
  const attached = at(dev, "aws_iam_role_policy", "role/policy");
  assert.is(attached.config.role, ref(dev, "aws_iam_role", "role/role", "id"));
  assert.is(attached.config.name, "denwa-dev-functions");
  for (const [name, fn] of Object.entries(resources(dev, "aws_lambda_function"))) {
    assert.ok(fn.depends_on.includes(`aws_iam_role_policy.${attached.name}`), `${name} depends on the policy`);
  }
  assert.is(Object.keys(resources(dev, "aws_iam_role_policy_attachment")).length, 0, "no managed policy attached");
});

policy("grants log writes on exactly the stack's function log groups", () => {
  const groups = dev.functions.map(({ slug }) => `/aws/lambda/denwa-dev-${slug}`);
  const created = Object.values(resources(dev, "aws_cloudwatch_log_group")).map((group) => group.name as string);
  for (const name of groups) assert.ok(created.includes(name), `the stack creates ${name}`);
  const [logs] = policyOf(dev).Statement;
  assert.equal(logs, {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: groups.map((name) => `arn:${partition(dev)}:logs:ap-northeast-1:${account(dev)}:log-group:${name}:*`),
  });
});

policy("grants ssm:GetParameters on exactly the stage's token parameter when no secret is declared", () => {
  assert.equal(policyOf(dev).Statement[1], {
    Sid: "ReadAuthTokenAndSecrets",
    Effect: "Allow",
    Action: "ssm:GetParameters",
    Resource: [`arn:${partition(dev)}:ssm:ap-northeast-1:${account(dev)}:parameter/denwa/dev/twilio-auth-token`],
  });
  assert.equal(policyOf(prod).Statement[1].Resource, [`arn:${partition(prod)}:ssm:us-west-2:${account(prod)}:parameter/team/prod/twilio`]);
});

policy("has those two statements only, and no wildcard action or bare wildcard resource", () => {
  for (const synth of [dev, prod]) {
    const statements = policyOf(synth).Statement as Array<{ Action: string | string[]; Resource: string | string[] }>;
    assert.is(statements.length, 2);
    for (const { Action, Resource } of statements) {
      for (const action of [Action].flat()) assert.not.ok(action.includes("*"), `action ${action} is exact`);
      for (const resource of [Resource].flat()) assert.not.ok(resource === "*" || resource.startsWith("*"), `resource ${resource} is scoped`);
    }
  }
  assert.not.ok(JSON.stringify(policyOf(dev)).includes("logs:CreateLogGroup"), "functions never create their own, unretained log group");
});

policy.run();
