// The optional denwa-ci stack: GitHub's OIDC provider and the deploy role, trusted by one
// repository's pull requests and dev/prod environments only (GitHub's OIDC subject claims:
// "repo:OWNER/NAME:pull_request", "repo:OWNER/NAME:environment:NAME"), with a policy the CI
// rule of the policy lint holds to this project's names.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Testing } from "cdktf";
import { UserError } from "../contract";
import { CI_STACK, DenwaCiStack } from "../infra/ci-stack";
import { resolveStageConfig, type StageSettings } from "../infra/stage-config";
import { policyCases } from "../scripts/reliability/policy";

const STATE = { remoteState: { bucket: "denwa-state" } };

function synthCi(dev: StageSettings = STATE, prod: StageSettings = STATE, createOidcProvider = true) {
  const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), "denwa-ci-")) });
  new DenwaCiStack(app, CI_STACK, { repository: "example/phones", createOidcProvider, stages: [resolveStageConfig("dev", dev), resolveStageConfig("prod", prod)] });
  app.synth();
  return JSON.parse(readFileSync(join(app.outdir, "stacks", CI_STACK, "cdk.tf.json"), "utf8"));
}

const one = (json: any, type: string) => Object.values<any>(json.resource[type])[0];

const ci = suite("DenwaCiStack");
const plain = synthCi();

ci("the role trusts GitHub's OIDC tokens for sts.amazonaws.com, from the repository's pull requests and its dev and prod environments", () => {
  const role = one(plain, "aws_iam_role");
  assert.is(role.name, "denwa-ci-deploy");
  const provider = Object.keys(plain.resource.aws_iam_openid_connect_provider)[0];
  assert.equal(JSON.parse(role.assume_role_policy), {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `\${aws_iam_openid_connect_provider.${provider}.arn}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          "ForAnyValue:StringEquals": {
            "token.actions.githubusercontent.com:sub": ["repo:example/phones:pull_request", "repo:example/phones:environment:dev", "repo:example/phones:environment:prod"],
          },
        },
      },
    ],
  });
  const { "//": _, ...oidc } = one(plain, "aws_iam_openid_connect_provider");
  assert.equal(oidc, { url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
  assert.equal(plain.output.role_arn.description, "Set it as the repository variable DENWA_DEPLOY_ROLE_ARN.");
});

ci("an account that has the provider already looks it up instead", () => {
  const json = synthCi(STATE, STATE, false);
  assert.is(json.resource.aws_iam_openid_connect_provider, undefined);
  assert.is(Object.values<any>(json.data.aws_iam_openid_connect_provider)[0].url, "https://token.actions.githubusercontent.com");
});

ci("the policy names the stages' functions, role, alarms, topic and state objects; no domain, no ACM or Route 53", () => {
  const statements = JSON.parse(one(plain, "aws_iam_role_policy").policy).Statement as any[];
  const sid = (name: string) => statements.find((s) => s.Sid === name);
  assert.equal(sid("Functions").Resource, [
    "arn:${data.aws_partition.partition.partition}:lambda:ap-northeast-1:${data.aws_caller_identity.account.account_id}:function:denwa-dev-*",
    "arn:${data.aws_partition.partition.partition}:lambda:ap-northeast-1:${data.aws_caller_identity.account.account_id}:function:denwa-prod-*",
  ]);
  assert.equal(sid("PassFunctionRoleToLambda").Condition, { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } });
  assert.equal(sid("State").Resource, [
    "arn:${data.aws_partition.partition.partition}:s3:::denwa-state/denwa/dev/terraform.tfstate",
    "arn:${data.aws_partition.partition.partition}:s3:::denwa-state/denwa/dev/terraform.tfstate.tflock",
    "arn:${data.aws_partition.partition.partition}:s3:::denwa-state/denwa/prod/terraform.tfstate",
    "arn:${data.aws_partition.partition.partition}:s3:::denwa-state/denwa/prod/terraform.tfstate.tflock",
  ]);
  assert.equal(sid("StateBucket").Resource, ["arn:${data.aws_partition.partition.partition}:s3:::denwa-state"]);
  assert.equal(statements.map((s) => s.Sid), ["Functions", "FunctionRole", "PassFunctionRoleToLambda", "Api", "LogGroupsAndFilters", "Describe", "Alarms", "AlarmTopic", "State", "StateBucket"]);
});

ci("a stage with a domain in a hosted zone adds the certificate calls and that zone's records only", () => {
  const json = synthCi(STATE, { ...STATE, domain: { name: "voice.example.jp", hostedZoneId: "Z0123456789ABCDEFGHIJ" } });
  const statements = JSON.parse(one(json, "aws_iam_role_policy").policy).Statement as any[];
  assert.equal(statements.slice(-3).map((s) => [s.Sid, s.Resource]), [
    ["Certificates", "*"],
    ["DnsRecords", ["arn:${data.aws_partition.partition.partition}:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]],
    ["DnsChanges", "arn:${data.aws_partition.partition.partition}:route53:::change/*"],
  ]);
});

ci("the policy lint's CI rule holds on it, and would catch a broader grant", async () => {
  const cases = policyCases([{ label: "denwa-ci", json: plain }]);
  assert.ok(cases.some((c) => c.name === "denwa-ci: the CI role: no * action, and a * only after this project's names"), "the CI rule applies");
  assert.not.ok(cases.some((c) => c.name.endsWith("no * action or resource in IAM")), "the stage rule is for the stage stacks");
  for (const one of cases) await one.run(undefined);
  const broad = structuredClone(plain);
  const policy = Object.values<any>(broad.resource.aws_iam_role_policy)[0];
  policy.policy = JSON.stringify({ Statement: [{ Action: "lambda:*", Resource: "arn:aws:lambda:r:1:function:*" }] });
  const rule = policyCases([{ label: "broad", json: broad }]).find((c) => c.name.includes("the CI role"))!;
  try {
    await rule.run(undefined);
    assert.unreachable("a broad grant must fail");
  } catch (err) {
    assert.match((err as Error).message, /allows the action lambda:\*\. .* covers the resource arn:aws:lambda:r:1:function:\*\./);
  }
});

ci("refuses a stage without remote state, and a repository that is not owner/name, in one sentence", () => {
  assert.throws(() => synthCi({}), (e: unknown) => e instanceof UserError && e.message === "The dev stage has no remoteState in infra/stages.ts: set one before creating the CI role, as CI runners keep no state files.");
  const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), "denwa-ci-")) });
  assert.throws(
    () => new DenwaCiStack(app, CI_STACK, { repository: "phones", createOidcProvider: true, stages: [resolveStageConfig("dev", STATE)] }),
    (e: unknown) => e instanceof UserError && e.message === 'The CI repository "phones" in infra/stages.ts must be a GitHub "owner/name".',
  );
});

ci.run();
