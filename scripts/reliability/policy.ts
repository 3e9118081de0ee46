// Suite 6: rules every synthesized stack must keep, read from its cdk.tf.json as Terraform reads it.
// Each rule returns the problems it found, one sentence each; none means the stack keeps it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RETENTION_DAYS } from "../../infra/stage-config";
import { readTemplates, terraformLiteral } from "../../infra/templates";
import type { Case } from "./report";

type Config = Record<string, any>;

export interface StackDocument {
  /** Where it came from, for the case name: "cdktf.out/stacks/denwa-dev". */
  label: string;
  json: Config;
}

export interface PolicyRule {
  name: string;
  /** Rules that concern one stage only (debug off in prod). */
  applies?(stages: string[]): boolean;
  check(json: Config): string[];
}

const entries = (json: Config, type: string): [string, Config][] => Object.entries(json.resource?.[type] ?? {});
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** Terraform interpolations stand for values the ARN is built from, not for wildcards. */
const literal = (text: string) => text.replace(/\$\{[^}]*\}/g, "X");
/** log-group:NAME:* is how IAM names a group's log streams; any other * widens the grant. */
const LOG_STREAMS = /:log-group:[^*]+:\*$/;

function policyDocuments(json: Config): { where: string; document: Config }[] {
  const found: { where: string; document: Config }[] = [];
  for (const [type, field] of [["aws_iam_role_policy", "policy"], ["aws_iam_policy", "policy"], ["aws_iam_role", "assume_role_policy"]]) {
    for (const [name, config] of entries(json, type)) {
      if (typeof config[field] === "string") found.push({ where: `${type}.${name}`, document: JSON.parse(config[field]) });
      for (const inline of list(config.inline_policy)) found.push({ where: `${type}.${name} inline`, document: JSON.parse((inline as Config).policy) });
    }
  }
  return found;
}

/**
 * The CI role (the denwa-ci stack, which has no API stage) creates what a deploy names, so its
 * resources end in a * after this project's own prefixes, or are API Gateway's id paths; "*"
 * alone only for the calls AWS grants on no narrower resource.
 */
const CI_WILDCARDS = [
  /:(function|alarm):denwa-[a-z]+-\*$/,
  /:log-group:\/aws\/lambda\/denwa-[a-z]+-\*$/,
  /:log-group:\/aws\/apigateway\/denwa-[a-z]+\/\*$/,
  /:log-group:API-Gateway-Execution-Logs_\*$/,
  /:sns:[^:]+:[^:]+:denwa-[a-z]+-alarms\*$/,
  /:apigateway:[^:]+::\/(restapis|domainnames|tags)\/\*$/,
  /:route53:::change\/\*$/,
];
const ACCOUNT_WIDE_ACTIONS = new Set([
  "logs:DescribeLogGroups",
  "logs:DescribeMetricFilters",
  "cloudwatch:DescribeAlarms",
  "acm:RequestCertificate",
  "acm:DescribeCertificate",
  "acm:DeleteCertificate",
  "acm:ListTagsForCertificate",
  "acm:AddTagsToCertificate",
  "acm:RemoveTagsFromCertificate",
]);

export const POLICY_RULES: PolicyRule[] = [
  {
    name: "no * action or resource in IAM",
    applies: (stages) => stages.length > 0,
    check: (json) => wildcardProblems(json, (plain) => LOG_STREAMS.test(plain) && plain.indexOf("*") === plain.length - 1),
  },
  {
    name: "lambda permissions scoped to the API's execution ARN, per method and route",
    check: (json) =>
      entries(json, "aws_lambda_permission").flatMap(([name, p]) => {
        const arn = /^\$\{aws_api_gateway_rest_api\.([\w-]+)\.execution_arn\}\/([^/]+)\/([^/]+)\/(.+)$/.exec(p.source_arn ?? "");
        const fn = /^\$\{aws_lambda_function\.([\w-]+)\.function_name\}$/.exec(p.function_name ?? "");
        const route = fn && json.resource.aws_lambda_function?.[fn[1]]?.environment?.variables?.DENWA_ROUTE;
        if (p.principal !== "apigateway.amazonaws.com" || p.action !== "lambda:InvokeFunction") return [`${name} grants ${p.action} to ${p.principal}.`];
        if (!arn || !json.resource.aws_api_gateway_rest_api?.[arn[1]]) return [`${name} has the source ARN ${p.source_arn}, not one of this stack's REST API.`];
        if (arn[3] === "*" || arn[4] !== route) return [`${name} covers ${arn[3]} /${arn[4]} instead of one method of /${route}.`];
        return [];
      }),
  },
  {
    name: "retention on every log group, a group for every function",
    check: (json) => {
      const groups = entries(json, "aws_cloudwatch_log_group");
      const names = new Set(groups.map(([, g]) => g.name));
      return [
        ...groups.filter(([, g]) => !(RETENTION_DAYS as readonly number[]).includes(g.retention_in_days)).map(([name, g]) => `${name} keeps logs for ${g.retention_in_days ?? "ever"}.`),
        ...entries(json, "aws_lambda_function")
          .filter(([, f]) => !names.has(`/aws/lambda/${f.function_name}`))
          .map(([name, f]) => `${name} has no log group /aws/lambda/${f.function_name}: Lambda would create one that keeps logs forever.`),
      ];
    },
  },
  {
    name: "throttling on every stage (method settings */*)",
    check: (json) =>
      entries(json, "aws_api_gateway_stage").flatMap(([name]) => {
        const settings = entries(json, "aws_api_gateway_method_settings").find(
          ([, s]) => s.stage_name === `\${aws_api_gateway_stage.${name}.stage_name}` && s.method_path === "*/*",
        )?.[1].settings;
        const rate = settings?.throttling_rate_limit;
        const burst = settings?.throttling_burst_limit;
        return rate > 0 && burst > 0 ? [] : [`Stage ${name} has no throttling for */* (rate ${rate}, burst ${burst}).`];
      }),
  },
  {
    name: "SSM: the role reads exactly the token parameter and the secrets its functions declare",
    // A stage's stack; the CI stack has a rule of its own.
    applies: (stages) => stages.length > 0,
    check: (json) => {
      const functions = entries(json, "aws_lambda_function").map(([, f]) => f.environment?.variables ?? {});
      const declared = new Set<string>(functions.flatMap((v) => [
        ...(v.DENWA_TOKEN_PARAMETER ? [v.DENWA_TOKEN_PARAMETER] : []),
        ...Object.values<string>(v.DENWA_SECRETS ? JSON.parse(v.DENWA_SECRETS) : {}),
      ]));
      const granted = policyDocuments(json).flatMap(({ where, document }) =>
        list<Config>(document.Statement)
          .filter((statement) => list<string>(statement.Action).some((action) => action.startsWith("ssm:")))
          .flatMap((statement) => list<string>(statement.Resource).map((resource) => ({ where, resource, parameter: /:parameter(\/.*)$/.exec(literal(resource))?.[1] }))),
      );
      const names = new Set(granted.map((g) => g.parameter));
      return [
        ...granted.filter((g) => g.parameter === undefined || !declared.has(g.parameter)).map((g) => `${g.where} lets the functions read ${g.resource}, which none of them declares.`),
        ...[...declared].filter((name) => !names.has(name)).map((name) => `A function reads ${name}, which the role may not read.`),
      ];
    },
  },
  {
    name: "no auth token in any function's environment",
    check: (json) =>
      entries(json, "aws_lambda_function")
        .filter(([, f]) => f.environment?.variables?.TWILIO_AUTH_TOKEN !== undefined)
        .map(([name]) => `${name} carries TWILIO_AUTH_TOKEN in its environment.`),
  },
  {
    name: "debug off in prod: DENWA_DEBUG=false everywhere, no error-debug template",
    applies: (stages) => stages.includes("prod"),
    check: (json) => {
      const debugTemplate = terraformLiteral(readTemplates().errorDebug);
      return [
        ...entries(json, "aws_lambda_function")
          .filter(([, f]) => f.environment?.variables?.DENWA_DEBUG !== "false")
          .map(([name, f]) => `${name} has DENWA_DEBUG=${f.environment?.variables?.DENWA_DEBUG}.`),
        ...entries(json, "aws_api_gateway_integration_response")
          .filter(([, r]) => Object.values<string>(r.response_templates ?? {}).some((t) => t === debugTemplate || t.includes("errorMessage")))
          .map(([name]) => `${name} answers errors with their message (error-debug.vtl).`),
      ];
    },
  },
  {
    name: "the CI role: no * action, and a * only after this project's names",
    applies: (stages) => stages.length === 0,
    check: (json) =>
      wildcardProblems(json, (plain, actions) =>
        plain === "*" ? actions.every((action) => ACCOUNT_WIDE_ACTIONS.has(action)) : CI_WILDCARDS.some((shape) => shape.test(plain)),
      ),
  },
];

/** A * in an action, grants by exclusion, and a * in a resource that `allowed` does not accept (given the statement's actions). */
function wildcardProblems(json: Config, allowed: (plain: string, actions: string[]) => boolean): string[] {
  return policyDocuments(json).flatMap(({ where, document }) =>
    list<Config>(document.Statement).flatMap((statement, i) => {
      const problems: string[] = [];
      if (statement.NotAction || statement.NotResource) problems.push(`${where} statement ${i} grants by exclusion (NotAction/NotResource).`);
      const actions = list<string>(statement.Action);
      for (const action of actions) if (action.includes("*")) problems.push(`${where} statement ${i} allows the action ${action}.`);
      for (const resource of list<string>(statement.Resource)) {
        const plain = literal(resource);
        if (plain.includes("*") && !allowed(plain, actions)) problems.push(`${where} statement ${i} covers the resource ${resource}.`);
      }
      return problems;
    }),
  );
}

export function stagesOf(json: Config): string[] {
  return entries(json, "aws_api_gateway_stage").map(([, s]) => s.stage_name);
}

/** Every stack under a cdktf.out/stacks folder. */
export function stacksIn(stacksDir: string, labelPrefix: string): StackDocument[] {
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, "cdk.tf.json")))
    .map((name) => ({ label: `${labelPrefix}/${name}`, json: JSON.parse(readFileSync(join(stacksDir, name, "cdk.tf.json"), "utf8")) }));
}

/** One case per stack and rule that applies to it. */
export function policyCases(stacks: StackDocument[]): Case<unknown>[] {
  return stacks.flatMap(({ label, json }) =>
    POLICY_RULES.filter((rule) => rule.applies?.(stagesOf(json)) ?? true).map((rule) => ({
      name: `${label}: ${rule.name}`,
      run: async () => {
        const problems = rule.check(json);
        if (problems.length > 0) throw new Error(problems.join(" "));
      },
    })),
  );
}
