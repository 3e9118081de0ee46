// The stage's CloudWatch alarms: API Gateway 5XXError and p99 Latency on the stage, and each
// function's Errors, Throttles and Duration near its timeout; plus metric filters over the
// runtime's JSON log lines that count 403 signature failures (with an alarm) and Twilio's own
// alerts by error code. Alarms act on the topic only when the stage notifies (prod pages, dev
// records): without a topic they still change state, visible in the CloudWatch console.
import { Construct } from "constructs";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { ALERT_LOG_FIELDS } from "../runtime/twilio-alert";
import type { AlarmConfig, AlarmRule } from "./alarm-settings";
import { APP, type StageName } from "./names";

/** The runtime writes `status` into every request's log line; a bad signature is answered 403. */
export const SIGNATURE_FAILURE_PATTERN = "{ $.status = 403 }";
/** Lines of Twilio's alerts webhook carry the alert's code (functions/twilio/alerts.ts). */
export const TWILIO_ALERT_PATTERN = `{ $.${ALERT_LOG_FIELDS.code} = "*" }`;

export const SIGNATURE_FAILURES_METRIC = "SignatureFailures";
export const TWILIO_ALERTS_METRIC = "TwilioAlerts";

/** The namespace of the metrics this stage's log filters write: "denwa/prod". */
export function metricNamespace(stage: StageName): string {
  return `${APP}/${stage}`;
}

export interface AlarmedFunction {
  function: LambdaFunction;
  logGroup: CloudwatchLogGroup;
  /** Physical name, known before apply, for alarm names. */
  name: string;
  timeoutSeconds: number;
}

export interface StageAlarmsProps {
  stage: StageName;
  alarms: AlarmConfig;
  /** The REST API's name and stage name: the dimensions of API Gateway's metrics. */
  apiName: string;
  stageName: string;
  functions: AlarmedFunction[];
  /** The SNS topic the alarms act on; none: alarms without actions. */
  topicArn?: string;
}

export class StageAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly filters: CloudwatchLogMetricFilter[] = [];

  constructor(scope: Construct, id: string, props: StageAlarmsProps) {
    super(scope, id);
    const { alarms, stage } = props;
    const { rules } = alarms;
    const actions = props.topicArn === undefined ? [] : [props.topicArn];
    const alarm = (id: string, rule: AlarmRule, config: Omit<CloudwatchMetricAlarmConfig, "evaluationPeriods" | "comparisonOperator">) => {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, id, {
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: rule.evaluationPeriods,
          threshold: rule.threshold,
          period: alarms.periodSeconds,
          // No traffic is no failure: a quiet night must not raise INSUFFICIENT_DATA pages.
          treatMissingData: "notBreaching",
          actionsEnabled: alarms.notify && actions.length > 0,
          alarmActions: actions,
          okActions: actions,
          ...config,
        }),
      );
    };

    const api = { ApiName: props.apiName, Stage: props.stageName };
    alarm("api-5xx", rules.serverErrors, {
      alarmName: `${props.apiName}-api-5xx`,
      alarmDescription: `The ${stage} API answered ${rules.serverErrors.threshold} or more 5XX errors a period: Twilio played its application-error message.`,
      namespace: "AWS/ApiGateway",
      metricName: "5XXError",
      dimensions: api,
      statistic: "Sum",
    });
    alarm("api-latency-p99", rules.latencyP99Ms, {
      alarmName: `${props.apiName}-api-latency-p99`,
      alarmDescription: `The ${stage} API's p99 latency reached ${rules.latencyP99Ms.threshold} ms; Twilio gives up at 15,000 ms.`,
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions: api,
      extendedStatistic: "p99",
      unit: "Milliseconds",
    });

    for (const fn of props.functions) {
      const dimensions = { FunctionName: fn.function.functionName };
      const lambda = { namespace: "AWS/Lambda", dimensions };
      alarm(`${fn.name}-errors`, rules.functionErrors, {
        alarmName: `${fn.name}-errors`,
        alarmDescription: `${fn.name} failed ${rules.functionErrors.threshold} or more invocations a period.`,
        ...lambda,
        metricName: "Errors",
        statistic: "Sum",
      });
      alarm(`${fn.name}-throttles`, rules.throttles, {
        alarmName: `${fn.name}-throttles`,
        alarmDescription: `Lambda refused ${rules.throttles.threshold} or more invocations of ${fn.name} a period for lack of concurrency.`,
        ...lambda,
        metricName: "Throttles",
        statistic: "Sum",
      });
      const limitMs = Math.round((fn.timeoutSeconds * 1000 * rules.durationPercentOfTimeout.threshold) / 100);
      alarm(`${fn.name}-duration`, rules.durationPercentOfTimeout, {
        alarmName: `${fn.name}-duration`,
        alarmDescription: `${fn.name} ran ${limitMs} ms or longer, ${rules.durationPercentOfTimeout.threshold}% of its ${fn.timeoutSeconds} s timeout.`,
        ...lambda,
        metricName: "Duration",
        statistic: "Maximum",
        unit: "Milliseconds",
        threshold: limitMs,
      });

      const logGroupName = fn.logGroup.name;
      this.filters.push(
        new CloudwatchLogMetricFilter(this, `${fn.name}-signature-failures`, {
          name: `${fn.name}-signature-failures`,
          logGroupName,
          pattern: SIGNATURE_FAILURE_PATTERN,
          metricTransformation: { name: SIGNATURE_FAILURES_METRIC, namespace: metricNamespace(stage), value: "1", unit: "Count" },
        }),
        new CloudwatchLogMetricFilter(this, `${fn.name}-twilio-alerts`, {
          name: `${fn.name}-twilio-alerts`,
          logGroupName,
          pattern: TWILIO_ALERT_PATTERN,
          metricTransformation: {
            name: TWILIO_ALERTS_METRIC,
            namespace: metricNamespace(stage),
            value: "1",
            unit: "Count",
            dimensions: { ErrorCode: `$.${ALERT_LOG_FIELDS.code}` },
          },
        }),
      );
    }

    // Every function's filter writes the same dimensionless metric, so one alarm sums them all.
    alarm("signature-failures", rules.signatureFailures, {
      alarmName: `${props.apiName}-signature-failures`,
      alarmDescription: `${rules.signatureFailures.threshold} or more requests a period failed the X-Twilio-Signature check: someone is probing the webhooks, or the auth token in SSM is not the account's after a rotation.`,
      namespace: metricNamespace(stage),
      metricName: SIGNATURE_FAILURES_METRIC,
      statistic: "Sum",
      dependsOn: this.filters,
    });
  }
}
