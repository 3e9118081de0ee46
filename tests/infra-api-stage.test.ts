import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ACCESS_LOG_FORMAT } from "../infra/api-stage";
import { readTemplates, type Templates } from "../infra/templates";
import { at, bare, fakeBuild, ref, resources, synthStage, type Synthesized } from "./helpers/infra-synth";

const ROLE = "arn:aws:iam::123456789012:role/apigateway-cloudwatch";
const build = fakeBuild();
const dev = synthStage("dev", { functions: build });
const prod = synthStage("prod", { functions: build, settings: { throttle: { rateLimit: 50, burstLimit: 100 }, logRetentionDays: 90, voice: "Google.ja-JP-Neural2-B" } });
const devLogged = synthStage("dev", { functions: build, settings: { accountCloudWatchRoleArn: ROLE } });
const prodLogged = synthStage("prod", { functions: build, settings: { accountCloudWatchRoleArn: ROLE } });

const deploymentOf = (synth: Synthesized) => at(synth, "aws_api_gateway_deployment", "stage/deployment").config;
const triggersWith = (templates: Templates) => deploymentOf(synthStage("dev", { functions: build, templates })).triggers;

const deployment = suite("ApiStage deployment");

deployment("is replaced create-before-destroy, and its triggers hash the API's shape and every part's id", () => {
  const config = bare(deploymentOf(dev));
  assert.equal(config.lifecycle, { create_before_destroy: true });
  assert.is(config.rest_api_id, ref(dev, "aws_api_gateway_rest_api", "api/api", "id"));
  assert.equal(Object.keys(config.triggers), ["configuration", "integrations", "resources"]);
  assert.match(config.triggers.configuration, /^[0-9a-f]{64}$/);
  const ids = config.triggers.resources as string;
  assert.ok(ids.startsWith("${sha1(jsonencode([") && ids.endsWith("]))}"), ids.slice(0, 40));
  for (const type of ["aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response", "aws_api_gateway_integration_response"]) {
    for (const name of Object.keys(resources(dev, type))) assert.ok(ids.includes(`${type}.${name}.id`), `${type}.${name} is in the triggers`);
  }
});

deployment("the same configuration gives the same triggers; any template change gives new ones", () => {
  const base = readTemplates();
  const same = triggersWith(base);
  assert.equal(same, deploymentOf(dev).triggers, "synthesizing again changes nothing");
  for (const key of ["request", "response", "errorDebug"] as const) {
    const changed = triggersWith({ ...base, [key]: `${base[key]}## edited\n` });
    assert.is.not(changed.configuration, same.configuration, `${key} edited redeploys`);
  }
  assert.is(triggersWith({ ...base, error: `${base.error}## edited\n` }).configuration, same.configuration, "dev does not use error.vtl");
  assert.is.not(deploymentOf(prod).triggers.configuration, same.configuration, "prod's error template differs from dev's");
});

deployment("the triggers hash every integration's uri: a function renamed under the same route redeploys", () => {
  const uris = deploymentOf(dev).triggers.integrations as string;
  const integrations = resources(dev, "aws_api_gateway_integration");
  assert.ok(uris.startsWith("${sha1(jsonencode([") && uris.endsWith("]))}"), uris.slice(0, 40));
  for (const [name, integration] of Object.entries(integrations)) {
    const uri = (integration as { uri: string }).uri;
    assert.match(uri, /^\$\{aws_lambda_function\.[\w-]+\.invoke_arn\}$/, `${name} calls a function`);
    assert.ok(uris.includes(`aws_api_gateway_integration.${name}.uri`), `${name}'s uri is in the triggers`);
  }
});

deployment("adding a route changes both triggers", () => {
  const more = synthStage("dev", { functions: fakeBuild(["voice/hello", "voice/menu", "sms/reply", "call/status", "fallback", "voice/bye"]) });
  assert.is.not(deploymentOf(more).triggers.configuration, deploymentOf(dev).triggers.configuration);
  assert.is.not(deploymentOf(more).triggers.resources, deploymentOf(dev).triggers.resources);
});

deployment.run();

const accessLog = suite("ACCESS_LOG_FORMAT");

accessLog("each line is JSON whatever the error message holds: messageString bare, no unquotable field", () => {
  // API Gateway substitutes each variable as it is; messageString arrives already quoted.
  const message = 'Invalid "x" \\ \u65e5';
  const line = ACCESS_LOG_FORMAT.replace(/\$context\.[\w.]+/g, (name) =>
    name === "$context.error.messageString" ? JSON.stringify(message) : name === "$context.status" ? "400" : "-",
  );
  const parsed = JSON.parse(line);
  assert.is(parsed.errorMessage, message);
  assert.is(parsed.status, "400");
  for (const variable of ACCESS_LOG_FORMAT.match(/\$context\.[\w.]+/g)!) {
    assert.not.ok(/userAgent|integration\.error|error\.message$/.test(variable), `${variable} can hold a quote and has no quoted form`);
  }
  assert.ok(ACCESS_LOG_FORMAT.includes('"errorMessage":$context.error.messageString'), "messageString is written bare");
});

accessLog.run();

const stage = suite("ApiStage stage");

stage("is named after the stage, serves the deployment and hands the voice to the functions", () => {
  const config = bare(at(dev, "aws_api_gateway_stage", "stage/stage").config);
  assert.equal(config, {
    rest_api_id: ref(dev, "aws_api_gateway_rest_api", "api/api", "id"),
    deployment_id: ref(dev, "aws_api_gateway_deployment", "stage/deployment", "id"),
    stage_name: "dev",
    variables: { voice: "Polly.Kazuha-Neural" },
  });
  assert.is(at(prod, "aws_api_gateway_stage", "stage/stage").config.stage_name, "prod");
  assert.equal(at(prod, "aws_api_gateway_stage", "stage/stage").config.variables, { voice: "Google.ja-JP-Neural2-B" });
});

stage("with the account's role stated, writes JSON access logs to its own log group, kept for the stage's retention", () => {
  assert.equal(bare(at(devLogged, "aws_cloudwatch_log_group", "stage/access-logs").config), { name: "/aws/apigateway/denwa-dev/access", retention_in_days: 30 });
  const prodRetained = synthStage("prod", { functions: build, settings: { accountCloudWatchRoleArn: ROLE, logRetentionDays: 90 } });
  assert.is(at(prodRetained, "aws_cloudwatch_log_group", "stage/access-logs").config.retention_in_days, 90);
  const settings = at(devLogged, "aws_api_gateway_stage", "stage/stage").config.access_log_settings;
  assert.equal(settings, { destination_arn: ref(devLogged, "aws_cloudwatch_log_group", "stage/access-logs", "arn"), format: ACCESS_LOG_FORMAT });
  const format = JSON.parse(settings.format.replace("$context.error.messageString", '"-"'));
  assert.is(format.requestId, "$context.requestId", "the format is JSON with the request id API Gateway requires");
  assert.is(format.status, "$context.status");
  assert.ok(Object.values(format).every((value) => typeof value === "string"), "every other value quoted, so a '-' stays valid JSON");
});

stage("throttles from the config and turns metrics on, for every method", () => {
  for (const [synth, rate, burst] of [[dev, 10, 20], [prod, 50, 100]] as const) {
    assert.equal(bare(at(synth, "aws_api_gateway_method_settings", "stage/settings").config), {
      rest_api_id: ref(synth, "aws_api_gateway_rest_api", "api/api", "id"),
      stage_name: ref(synth, "aws_api_gateway_stage", "stage/stage", "stage_name"),
      method_path: "*/*",
      settings: {
        throttling_rate_limit: rate,
        throttling_burst_limit: burst,
        metrics_enabled: true,
        data_trace_enabled: false,
        logging_level: "OFF",
      },
    }, synth.stage);
  }
});

stage("without an account CloudWatch role, API Gateway logging stays off, so the first deploy cannot be refused", () => {
  assert.is(Object.keys(resources(dev, "aws_cloudwatch_log_group")).length, dev.functions.length, "only the functions' log groups");
  assert.is(at(dev, "aws_api_gateway_stage", "stage/stage").config.access_log_settings, undefined, "no access logs");
  assert.is(at(dev, "aws_api_gateway_stage", "stage/stage").config.depends_on, undefined);
  assert.is(at(devLogged, "aws_cloudwatch_log_group", "stage/access-logs").config.name, "/aws/apigateway/denwa-dev/access");
});

stage("with the account's role stated, execution logs go to a retained group: INFO on debug stages, ERROR otherwise", () => {
  assert.is(at(devLogged, "aws_api_gateway_method_settings", "stage/settings").config.settings.logging_level, "INFO");
  assert.is(at(prodLogged, "aws_api_gateway_method_settings", "stage/settings").config.settings.logging_level, "ERROR");
  assert.is(at(prodLogged, "aws_api_gateway_method_settings", "stage/settings").config.settings.data_trace_enabled, false, "never full bodies");
  const group = at(prodLogged, "aws_cloudwatch_log_group", "stage/execution-logs");
  assert.equal(bare(group.config), {
    name: `API-Gateway-Execution-Logs_${ref(prodLogged, "aws_api_gateway_rest_api", "api/api", "id")}/prod`,
    retention_in_days: 30,
  });
  assert.equal(at(prodLogged, "aws_api_gateway_stage", "stage/stage").config.depends_on, [`aws_cloudwatch_log_group.${group.name}`]);
});

stage.run();
