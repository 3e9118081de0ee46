// Suite 6: every rule holds on every synthesized stack (the suites' and cdktf.out/stacks/*), and each
// rule finds the violation it is about in a stack written to break it.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POLICY_RULES, policyCases, stacksIn } from "../scripts/reliability/policy";
import { reliabilityStacks } from "../scripts/reliability/stacks";

const stacks = suite("reliability: policy lint over synthesized stacks");

stacks("every rule holds on the suites' dev and prod stacks and on cdktf.out/stacks/*", async () => {
  const { root } = await reliabilityStacks();
  const documents = [...stacksIn(join(root, "cdktf.out", "stacks"), "suite"), ...stacksIn(join(__dirname, "..", "cdktf.out", "stacks"), "cdktf.out/stacks")];
  assert.ok(documents.length >= 2, "the suites' stacks were found");
  const cases = policyCases(documents);
  assert.ok(cases.some((c) => c.name.includes("debug off in prod")), "the prod rule applied");
  for (const one of cases) await one.run(undefined);
});

stacks.run();

const rules = suite("reliability: each policy rule catches its violation");
const rule = (name: string) => POLICY_RULES.find((r) => r.name.startsWith(name))!;

rules("IAM: a wildcard action or resource, and grants by exclusion", () => {
  const policy = JSON.stringify({ Statement: [{ Action: ["logs:*"], Resource: "*" }, { NotAction: "s3:GetObject", Resource: "arn:aws:logs:r:1:log-group:/aws/lambda/x:*" }] });
  assert.equal(rule("no * action").check({ resource: { aws_iam_role_policy: { p: { policy } } } }), [
    "aws_iam_role_policy.p statement 0 allows the action logs:*.",
    "aws_iam_role_policy.p statement 0 covers the resource *.",
    "aws_iam_role_policy.p statement 1 grants by exclusion (NotAction/NotResource).",
  ]);
});

rules("permissions: any method, or a route other than the function's", () => {
  const json = {
    resource: {
      aws_api_gateway_rest_api: { api: {} },
      aws_lambda_function: { f: { environment: { variables: { DENWA_ROUTE: "voice/hello" } } } },
      aws_lambda_permission: {
        any: { action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", function_name: "${aws_lambda_function.f.function_name}", source_arn: "${aws_api_gateway_rest_api.api.execution_arn}/*/*/voice/hello" },
        other: { action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", function_name: "${aws_lambda_function.f.function_name}", source_arn: "${aws_api_gateway_rest_api.api.execution_arn}/*/POST/*" },
        foreign: { action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", function_name: "${aws_lambda_function.f.function_name}", source_arn: "arn:aws:execute-api:r:1:abc/*/POST/voice/hello" },
      },
    },
  };
  assert.equal(rule("lambda permissions").check(json), [
    "any covers * /voice/hello instead of one method of /voice/hello.",
    "other covers POST /* instead of one method of /voice/hello.",
    "foreign has the source ARN arn:aws:execute-api:r:1:abc/*/POST/voice/hello, not one of this stack's REST API.",
  ]);
});

rules("log groups: no retention, and a function without its group", () => {
  const json = { resource: { aws_cloudwatch_log_group: { g: { name: "/aws/apigateway/x" } }, aws_lambda_function: { f: { function_name: "denwa-dev-x" } } } };
  assert.equal(rule("retention").check(json), [
    "g keeps logs for ever.",
    "f has no log group /aws/lambda/denwa-dev-x: Lambda would create one that keeps logs forever.",
  ]);
});

rules("stages: one without throttled method settings", () => {
  const json = {
    resource: {
      aws_api_gateway_stage: { s: { stage_name: "dev" } },
      aws_api_gateway_method_settings: { m: { stage_name: "${aws_api_gateway_stage.s.stage_name}", method_path: "*/*", settings: { throttling_rate_limit: 0 } } },
    },
  };
  assert.equal(rule("throttling").check(json), ["Stage s has no throttling for */* (rate 0, burst undefined)."]);
});

rules("prod: debug on in a function, the error-debug template, a token in the environment", () => {
  const json = {
    resource: {
      aws_lambda_function: { f: { environment: { variables: { DENWA_DEBUG: "true", TWILIO_AUTH_TOKEN: "x" } } } },
      aws_api_gateway_integration_response: { r: { response_templates: { "text/plain": "An application error occurred: $input.path('$.errorMessage')" } } },
    },
  };
  assert.equal(rule("debug off in prod").check(json), ["f has DENWA_DEBUG=true.", "r answers errors with their message (error-debug.vtl)."]);
  assert.equal(rule("no auth token").check(json), ["f carries TWILIO_AUTH_TOKEN in its environment."]);
  assert.ok(rule("debug off in prod").applies?.(["prod"]) && !rule("debug off in prod").applies?.(["dev"]));
});

rules("SSM: a parameter no function declares, and a declared secret the role may not read", () => {
  const arn = (name: string) => `arn:\${data.aws_partition.p.partition}:ssm:ap-northeast-1:\${data.aws_caller_identity.a.account_id}:parameter${name}`;
  const policy = JSON.stringify({ Statement: [{ Action: "ssm:GetParameters", Resource: [arn("/denwa/dev/twilio-auth-token"), arn("/denwa/dev/secrets/OLD_KEY")] }] });
  const json = {
    resource: {
      aws_iam_role_policy: { p: { policy } },
      aws_lambda_function: {
        f: { environment: { variables: { DENWA_TOKEN_PARAMETER: "/denwa/dev/twilio-auth-token", DENWA_SECRETS: '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY"}' } } },
      },
    },
  };
  assert.equal(rule("SSM").check(json), [
    `aws_iam_role_policy.p lets the functions read ${arn("/denwa/dev/secrets/OLD_KEY")}, which none of them declares.`,
    "A function reads /denwa/dev/secrets/CRM_API_KEY, which the role may not read.",
  ]);
});

rules.run();
