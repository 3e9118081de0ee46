// The alarms a stage states (infra/stages.ts `alarms`), completed with per-stage defaults and
// checked: prod pages (its alarms act on the topic), dev only records (its alarms change state
// in CloudWatch and notify nobody unless it says notify: true).
import { UserError } from "../contract";
import type { StageName } from "./names";
import { TWILIO_WEBHOOK_TIMEOUT_MS } from "../contract";

/** One alarm's rule: it fires when `threshold` is reached in `evaluationPeriods` periods in a row. */
export interface AlarmRule {
  threshold: number;
  evaluationPeriods: number;
}

/** The alarm kinds and what each threshold counts. */
export interface AlarmRules {
  /** API Gateway 5XXError on the stage: answers Twilio heard as an application error (count). */
  serverErrors: AlarmRule;
  /** API Gateway Latency p99, in milliseconds: Twilio hangs up on a webhook at 15,000. */
  latencyP99Ms: AlarmRule;
  /** Each function's Errors: invocations that failed (count). */
  functionErrors: AlarmRule;
  /** Each function's Throttles: invocations Lambda refused for concurrency (count). */
  throttles: AlarmRule;
  /** Each function's Duration at its Maximum, as a percentage of its timeout. */
  durationPercentOfTimeout: AlarmRule;
  /** 403 answers for a bad X-Twilio-Signature, counted in the functions' log lines: probing, or a token rotated wrongly. */
  signatureFailures: AlarmRule;
}

/** Where alarms go: an SNS topic that exists, or one the stack creates (with an optional email subscription). */
export type AlarmTopic = { arn: string } | { create: true; email?: string };

export interface AlarmSettings {
  topic?: AlarmTopic;
  /** Whether alarms act on the topic. Default true for prod (pages), false for dev (records only). */
  notify?: boolean;
  /** Length of one evaluation period. Default 60 s. */
  periodSeconds?: 60 | 300 | 900 | 3600;
  rules?: { [K in keyof AlarmRules]?: Partial<AlarmRule> };
}

export interface AlarmConfig {
  topic?: AlarmTopic;
  notify: boolean;
  periodSeconds: number;
  rules: AlarmRules;
}

const DEV_RULES: AlarmRules = {
  serverErrors: { threshold: 1, evaluationPeriods: 1 },
  latencyP99Ms: { threshold: 12_000, evaluationPeriods: 3 },
  functionErrors: { threshold: 1, evaluationPeriods: 1 },
  throttles: { threshold: 1, evaluationPeriods: 1 },
  durationPercentOfTimeout: { threshold: 80, evaluationPeriods: 1 },
  signatureFailures: { threshold: 5, evaluationPeriods: 1 },
};

/** Prod pages a person: a slow function must stay slow for three periods, and a few bad signatures are scanners. */
const DEFAULT_RULES: Record<StageName, AlarmRules> = {
  dev: DEV_RULES,
  prod: {
    ...DEV_RULES,
    durationPercentOfTimeout: { threshold: 80, evaluationPeriods: 3 },
    signatureFailures: { threshold: 10, evaluationPeriods: 1 },
  },
};

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function resolveAlarms(stage: StageName, settings: AlarmSettings = {}): AlarmConfig {
  const where = `The ${stage} stage's alarms`;
  const { topic, notify = stage === "prod", periodSeconds = 60 } = settings;
  if (topic && "arn" in topic && !SNS_TOPIC_ARN.test(topic.arn)) {
    throw new UserError(`${where} topic arn ${JSON.stringify(topic.arn)} is not an SNS topic ARN such as arn:aws:sns:ap-northeast-1:123456789012:pager.`);
  }
  if (topic && "create" in topic && topic.email !== undefined && !EMAIL.test(topic.email)) {
    throw new UserError(`${where} topic email ${JSON.stringify(topic.email)} is not an email address.`);
  }
  if (![60, 300, 900, 3600].includes(periodSeconds)) {
    throw new UserError(`${where} periodSeconds ${periodSeconds} must be 60, 300, 900 or 3600.`);
  }
  const rules = {} as AlarmRules;
  for (const [name, defaults] of Object.entries(DEFAULT_RULES[stage]) as [keyof AlarmRules, AlarmRule][]) {
    const rule = { ...defaults, ...settings.rules?.[name] };
    if (!(Number.isFinite(rule.threshold) && rule.threshold > 0)) {
      throw new UserError(`${where} ${name} threshold ${rule.threshold} must be a number above 0.`);
    }
    if (!(Number.isInteger(rule.evaluationPeriods) && rule.evaluationPeriods >= 1 && rule.evaluationPeriods * periodSeconds <= 86_400)) {
      throw new UserError(`${where} ${name} evaluationPeriods ${rule.evaluationPeriods} must be a whole number from 1 with at most a day of periods.`);
    }
    rules[name] = rule;
  }
  if (rules.latencyP99Ms.threshold >= TWILIO_WEBHOOK_TIMEOUT_MS) {
    throw new UserError(`${where} latencyP99Ms threshold ${rules.latencyP99Ms.threshold} must be below Twilio's ${TWILIO_WEBHOOK_TIMEOUT_MS} ms webhook limit, or it fires after callers heard the failure.`);
  }
  if (rules.durationPercentOfTimeout.threshold > 100) {
    throw new UserError(`${where} durationPercentOfTimeout threshold ${rules.durationPercentOfTimeout.threshold} must be a percentage of the timeout, at most 100.`);
  }
  return { topic, notify, periodSeconds, rules };
}
