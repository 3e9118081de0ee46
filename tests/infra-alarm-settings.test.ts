import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveAlarms } from "../infra/alarm-settings";
import { UserError } from "../contract";

/** Asserts that resolving fails with exactly this sentence, as a UserError. */
function refuses(resolve: () => unknown, message: string): void {
  assert.throws(resolve, (error: unknown) => error instanceof UserError && error.message === message, message);
}

const alarms = suite("resolveAlarms");

alarms("prod pages and dev only records by default, on one-minute periods, with no topic", () => {
  const dev = resolveAlarms("dev");
  const prod = resolveAlarms("prod");
  assert.equal([dev.notify, dev.periodSeconds, dev.topic], [false, 60, undefined]);
  assert.equal([prod.notify, prod.periodSeconds, prod.topic], [true, 60, undefined]);
  assert.equal(prod.rules, {
    serverErrors: { threshold: 1, evaluationPeriods: 1 },
    latencyP99Ms: { threshold: 12000, evaluationPeriods: 3 },
    functionErrors: { threshold: 1, evaluationPeriods: 1 },
    throttles: { threshold: 1, evaluationPeriods: 1 },
    durationPercentOfTimeout: { threshold: 80, evaluationPeriods: 3 },
    signatureFailures: { threshold: 10, evaluationPeriods: 1 },
  });
  assert.equal(dev.rules.signatureFailures, { threshold: 5, evaluationPeriods: 1 }, "dev sees failures from its own testing sooner");
});

alarms("a stated rule keeps the defaults it leaves out", () => {
  const config = resolveAlarms("prod", { rules: { latencyP99Ms: { threshold: 9000 } }, notify: false });
  assert.equal([config.rules.latencyP99Ms, config.notify], [{ threshold: 9000, evaluationPeriods: 3 }, false]);
});

alarms("refuses what CloudWatch or Twilio would make useless, naming the setting", () => {
  refuses(() => resolveAlarms("prod", { topic: { arn: "pager" } }), 'The prod stage\'s alarms topic arn "pager" is not an SNS topic ARN such as arn:aws:sns:ap-northeast-1:123456789012:pager.');
  refuses(() => resolveAlarms("prod", { topic: { create: true, email: "oncall" } }), 'The prod stage\'s alarms topic email "oncall" is not an email address.');
  refuses(() => resolveAlarms("dev", { periodSeconds: 30 as 60 }), "The dev stage's alarms periodSeconds 30 must be 60, 300, 900 or 3600.");
  refuses(() => resolveAlarms("dev", { rules: { throttles: { threshold: 0 } } }), "The dev stage's alarms throttles threshold 0 must be a number above 0.");
  refuses(() => resolveAlarms("dev", { rules: { serverErrors: { evaluationPeriods: 1.5 } } }), "The dev stage's alarms serverErrors evaluationPeriods 1.5 must be a whole number from 1 with at most a day of periods.");
  refuses(() => resolveAlarms("dev", { periodSeconds: 3600, rules: { serverErrors: { evaluationPeriods: 25 } } }), "The dev stage's alarms serverErrors evaluationPeriods 25 must be a whole number from 1 with at most a day of periods.");
  refuses(() => resolveAlarms("prod", { rules: { latencyP99Ms: { threshold: 15000 } } }), "The prod stage's alarms latencyP99Ms threshold 15000 must be below Twilio's 15000 ms webhook limit, or it fires after callers heard the failure.");
  refuses(() => resolveAlarms("prod", { rules: { durationPercentOfTimeout: { threshold: 120 } } }), "The prod stage's alarms durationPercentOfTimeout threshold 120 must be a percentage of the timeout, at most 100.");
});

alarms.run();
