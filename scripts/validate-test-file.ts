// The terraform test file that make validate writes next to each stack copy: a mock AWS provider
// (computed ARNs shaped as the provider checks them) and the runs. Mock providers plan every
// change in place, so the update run checks what makes the real provider replace the deployment:
// its triggers, and that the stage still points at it.

export interface StackJson {
  terraform?: { backend?: unknown; required_providers?: { aws?: { version?: string } } };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

const ACCOUNT = "123456789012";
const REGION = "ap-northeast-1";
const MOCKED_RESOURCES: Record<string, Record<string, string>> = {
  aws_iam_role: { arn: `arn:aws:iam::${ACCOUNT}:role/denwa-mock` },
  aws_lambda_function: {
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:denwa-mock`,
    invoke_arn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:denwa-mock/invocations`,
  },
  aws_cloudwatch_log_group: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:denwa-mock` },
  aws_api_gateway_rest_api: { execution_arn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:denwamock` },
  aws_sns_topic: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:denwa-mock` },
  aws_iam_openid_connect_provider: { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
  aws_acm_certificate: { arn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/denwa-mock` },
};
const MOCKED_DATA: Record<string, Record<string, string>> = {
  aws_caller_identity: { account_id: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root` },
  aws_partition: { partition: "aws", dns_suffix: "amazonaws.com" },
  aws_region: { name: REGION },
};

const hcl = (values: Record<string, string>) =>
  `{ ${Object.entries(values).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`;

export function mockProviderBlock(): string {
  const blocks = [
    ...Object.entries(MOCKED_RESOURCES).map(([type, values]) => `  mock_resource "${type}" {\n    defaults = ${hcl(values)}\n  }`),
    ...Object.entries(MOCKED_DATA).map(([type, values]) => `  mock_data "${type}" {\n    defaults = ${hcl(values)}\n  }`),
  ];
  return `mock_provider "aws" {\n${blocks.join("\n")}\n}\n`;
}

function only(stack: StackJson, type: string): [string, Record<string, unknown>] | undefined {
  const entries = Object.entries(stack.resource?.[type] ?? {});
  return entries.length === 1 ? entries[0] : undefined;
}

function assert(condition: string, message: string): string {
  return `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }\n`;
}

/** The runs: apply the stack; with a changed template, apply the update onto the same state. */
export function testFile(stack: StackJson, changed: StackJson | undefined): string {
  const deployment = only(stack, "aws_api_gateway_deployment");
  const apiStage = only(stack, "aws_api_gateway_stage");
  let runs = `\nrun "apply" {\n  command   = apply\n  state_key = "stack"\n`;
  if (!deployment || !apiStage || !changed) return runs + "}\n";
  const [deploymentName, deploymentConfig] = deployment;
  const d = `aws_api_gateway_deployment.${deploymentName}`;
  const s = `aws_api_gateway_stage.${apiStage[0]}`;
  const before = (deploymentConfig.triggers as Record<string, string>).configuration;
  const after = (changed.resource!.aws_api_gateway_deployment[deploymentName].triggers as Record<string, string>).configuration;
  const response = Object.keys(stack.resource?.aws_api_gateway_integration_response ?? {}).find((name) => name.includes("_200_response"));
  runs += assert(`${s}.deployment_id == ${d}.id`, "The stage serves the stack's deployment.");
  runs += assert(`${d}.triggers.configuration == ${JSON.stringify(before)}`, "The deployment carries the synthesized configuration hash.");
  runs += `}\n\nrun "update_template" {\n  command   = apply\n  state_key = "stack"\n  module {\n    source = "./changed"\n  }\n`;
  if (response) {
    runs += assert(
      `strcontains(aws_api_gateway_integration_response.${response}.response_templates["application/xml"], "make validate: a changed template")`,
      "The changed response template reaches the integration response.",
    );
  }
  runs += assert(`${d}.triggers.configuration == ${JSON.stringify(after)} && ${JSON.stringify(after)} != ${JSON.stringify(before)}`, "A changed template changes the deployment's triggers, so the provider replaces the deployment.");
  runs += assert(`${s}.deployment_id == ${d}.id`, "After the update the stage still serves the deployment.");
  return runs + "}\n";
}
