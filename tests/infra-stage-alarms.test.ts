// The alarms and log metric filters every stack synthesizes, property by property as Terraform
// gets them: API Gateway's metrics have the dimensions ApiName and Stage, Lambda's FunctionName
// (CloudWatch's "Amazon API Gateway dimensions and metrics" and "Lambda function metrics").
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { at, bare, ref, resources, ROUTES, synthStage, type Synthesized } from "./helpers/infra-synth";

const dev = synthStage("dev");
const prod = synthStage("prod", { settings: { alarms: { topic: { create: true, email: "oncall@example.jp" } }, functions: { "voice/menu": { timeoutSeconds: 5 } } } });
const named = synthStage("prod", { settings: { alarms: { topic: { arn: "arn:aws:sns:ap-northeast-1:123456789012:pager" }, periodSeconds: 300, rules: { serverErrors: { threshold: 3, evaluationPeriods: 2 } } } } });

const alarm = (synth: Synthesized, path: string) => bare(at(synth, "aws_cloudwatch_metric_alarm", `alarms/${path}`).config);
const topicArn = (synth: Synthesized) => ref(synth, "aws_sns_topic", "alarm-topic/topic", "arn");

/** What every alarm of prod with the created topic shares. */
const paging = () => ({
  comparison_operator: "GreaterThanOrEqualToThreshold",
  threshold: 1,
  evaluation_periods: 1,
  period: 60,
  treat_missing_data: "notBreaching",
  actions_enabled: true,
  alarm_actions: [topicArn(prod)],
  ok_actions: [topicArn(prod)],
});

const alarms = suite("StageAlarms");

alarms("API Gateway 5XXError on the stage: any 5XX in a minute pages prod through the created topic", () => {
  assert.equal(alarm(prod, "api-5xx"), {
    alarm_name: "denwa-prod-api-5xx",
    alarm_description: "The prod API answered 1 or more 5XX errors a period: Twilio played its application-error message.",
    namespace: "AWS/ApiGateway",
    metric_name: "5XXError",
    dimensions: { ApiName: "denwa-prod", Stage: "prod" },
    statistic: "Sum",
    ...paging(),
  });
});

alarms("Latency p99 at 12,000 ms for 3 minutes, below Twilio's 15 s", () => {
  const latency = alarm(prod, "api-latency-p99");
  assert.equal(
    [latency.metric_name, latency.extended_statistic, latency.statistic, latency.unit, latency.threshold, latency.evaluation_periods, latency.dimensions],
    ["Latency", "p99", undefined, "Milliseconds", 12000, 3, { ApiName: "denwa-prod", Stage: "prod" }],
  );
});

alarms("every function has Errors, Throttles and Duration at 80% of its own timeout", () => {
  assert.is(Object.keys(resources(dev, "aws_cloudwatch_metric_alarm")).length, 2 + 3 * ROUTES.length + 1, "two API alarms, three per function, one on signature failures");
  const fn = ref(prod, "aws_lambda_function", "webhook-voice-menu/function", "function_name");
  assert.equal(alarm(prod, "denwa-prod-voice-menu-errors"), {
    alarm_name: "denwa-prod-voice-menu-errors",
    alarm_description: "denwa-prod-voice-menu failed 1 or more invocations a period.",
    namespace: "AWS/Lambda",
    metric_name: "Errors",
    dimensions: { FunctionName: fn },
    statistic: "Sum",
    ...paging(),
  });
  const throttles = alarm(prod, "denwa-prod-voice-menu-throttles");
  assert.equal([throttles.metric_name, throttles.statistic, throttles.threshold], ["Throttles", "Sum", 1]);
  const duration = (synth: Synthesized, name: string) => {
    const d = alarm(synth, `${name}-duration`);
    return [d.metric_name, d.statistic, d.unit, d.threshold, d.evaluation_periods, d.alarm_description];
  };
  assert.equal(duration(prod, "denwa-prod-voice-menu"), ["Duration", "Maximum", "Milliseconds", 4000, 3, "denwa-prod-voice-menu ran 4000 ms or longer, 80% of its 5 s timeout."]);
  assert.equal(duration(prod, "denwa-prod-voice-hello"), ["Duration", "Maximum", "Milliseconds", 8000, 3, "denwa-prod-voice-hello ran 8000 ms or longer, 80% of its 10 s timeout."]);
});

alarms("each function's log group counts 403 signature failures and Twilio alerts by code; one alarm sums the failures", () => {
  const logs = ref(dev, "aws_cloudwatch_log_group", "webhook-voice-hello/logs", "name");
  assert.equal(bare(at(dev, "aws_cloudwatch_log_metric_filter", "alarms/denwa-dev-voice-hello-signature-failures").config), {
    name: "denwa-dev-voice-hello-signature-failures",
    log_group_name: logs,
    pattern: "{ $.status = 403 }",
    metric_transformation: { name: "SignatureFailures", namespace: "denwa/dev", value: "1", unit: "Count" },
  });
  assert.equal(bare(at(dev, "aws_cloudwatch_log_metric_filter", "alarms/denwa-dev-voice-hello-twilio-alerts").config), {
    name: "denwa-dev-voice-hello-twilio-alerts",
    log_group_name: logs,
    pattern: '{ $.alertCode = "*" }',
    metric_transformation: { name: "TwilioAlerts", namespace: "denwa/dev", value: "1", unit: "Count", dimensions: { ErrorCode: "$.alertCode" } },
  });
  assert.is(Object.keys(resources(dev, "aws_cloudwatch_log_metric_filter")).length, 2 * ROUTES.length);
  const { depends_on, ...failures } = alarm(dev, "signature-failures");
  assert.equal(failures, {
    alarm_name: "denwa-dev-signature-failures",
    alarm_description: "5 or more requests a period failed the X-Twilio-Signature check: someone is probing the webhooks, or the auth token in SSM is not the account's after a rotation.",
    namespace: "denwa/dev",
    metric_name: "SignatureFailures",
    statistic: "Sum",
    comparison_operator: "GreaterThanOrEqualToThreshold",
    threshold: 5,
    evaluation_periods: 1,
    period: 60,
    treat_missing_data: "notBreaching",
    actions_enabled: false,
    alarm_actions: [],
    ok_actions: [],
  });
  assert.is(depends_on.length, 2 * ROUTES.length, "the alarm waits for the filters that feed it");
});

alarms("dev only records: without a topic its alarms have no actions, and the stack says so", () => {
  for (const config of Object.values(resources(dev, "aws_cloudwatch_metric_alarm"))) {
    assert.equal([config.actions_enabled, config.alarm_actions, config.ok_actions], [false, [], []], config.alarm_name);
  }
  assert.equal(resources(dev, "aws_sns_topic"), {});
  assert.ok(dev.stack.alarmsWithoutActions, "main.ts prints the one notice from this");
  assert.not.ok(prod.stack.alarmsWithoutActions);
});

alarms("a named topic is used as it is, with the stated period and rule; no topic is created", () => {
  assert.equal(resources(named, "aws_sns_topic"), {});
  const fiveXx = alarm(named, "api-5xx");
  assert.equal([fiveXx.alarm_actions, fiveXx.actions_enabled, fiveXx.period, fiveXx.threshold, fiveXx.evaluation_periods], [["arn:aws:sns:ap-northeast-1:123456789012:pager"], true, 300, 3, 2]);
});

alarms.run();

const topic = suite("AlarmTopic");

topic("creates denwa-<stage>-alarms with the email subscription SNS confirms by mail", () => {
  assert.equal(bare(at(prod, "aws_sns_topic", "alarm-topic/topic").config), { name: "denwa-prod-alarms" });
  assert.equal(bare(at(prod, "aws_sns_topic_subscription", "alarm-topic/email").config), { topic_arn: topicArn(prod), protocol: "email", endpoint: "oncall@example.jp" });
  const quiet = synthStage("dev", { settings: { alarms: { topic: { create: true }, notify: true } } });
  assert.equal(resources(quiet, "aws_sns_topic_subscription"), {}, "no address, no subscription");
  assert.is(alarm(quiet, "api-5xx").actions_enabled, true, "dev pages when it says notify: true");
});

topic.run();
