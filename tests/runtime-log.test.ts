import { suite } from "uvu";
import * as assert from "uvu/assert";
import { jsonLogger, maskConsole } from "../runtime/log";

const SECRET = "crm-key-0123456789";

const logger = suite("jsonLogger");

logger("writes one JSON line per event, level first", () => {
  const lines: string[] = [];
  jsonLogger((line) => lines.push(line)).warn({ route: "voice/hello", status: 403 });
  assert.equal(lines, ['{"level":"warn","route":"voice/hello","status":403}\n']);
});

logger("masks a hidden secret as written and as JSON escapes it, from then on", () => {
  const lines: string[] = [];
  const log = jsonLogger((line) => lines.push(line));
  const quoted = 'key"with\\quote';
  log.info({ before: SECRET });
  log.hideSecret(SECRET);
  log.hideSecret(quoted);
  log.info({ after: SECRET, quoted });
  assert.equal(lines, [`{"level":"info","before":"${SECRET}"}\n`, '{"level":"info","after":"[redacted]","quoted":"[redacted]"}\n']);
});

logger("leaves values shorter than 8 characters alone, which would mask common words", () => {
  const log = jsonLogger(() => {});
  log.hideSecret("abc");
  assert.is(log.mask("abc is not secret"), "abc is not secret");
});

logger.run();

/** A console that records what each method was called with. */
function recordingConsole() {
  const calls: [string, unknown[]][] = [];
  const record = (method: string) => (...args: unknown[]) => void calls.push([method, args]);
  const fake = { log: record("log"), info: record("info"), warn: record("warn"), error: record("error"), debug: record("debug"), trace: record("trace") };
  return { fake, calls };
}

const masked = suite("maskConsole");

masked("a console line that would show a secret is written with [redacted] in its place", () => {
  const { fake, calls } = recordingConsole();
  const log = jsonLogger(() => {});
  log.hideSecret(SECRET);
  maskConsole(log.mask, fake);
  fake.log("calling the CRM with %s", SECRET);
  fake.error({ key: SECRET });
  assert.equal(calls, [["log", ["calling the CRM with [redacted]"]], ["error", ["{ key: '[redacted]' }"]]]);
});

masked("any other call reaches the console as it was made, objects and all", () => {
  const { fake, calls } = recordingConsole();
  const log = jsonLogger(() => {});
  log.hideSecret(SECRET);
  maskConsole(log.mask, fake);
  const fields = { CallSid: "CA1" };
  fake.info("call %s", "CA1", fields);
  assert.is(calls.length, 1);
  assert.equal(calls[0][0], "info");
  assert.ok(calls[0][1][2] === fields, "the very object, for Lambda to format");
});

masked("covers every console method, and secrets hidden after it was installed", () => {
  const { fake, calls } = recordingConsole();
  const log = jsonLogger(() => {});
  maskConsole(log.mask, fake);
  log.hideSecret(SECRET);
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) fake[method](SECRET);
  assert.equal(calls.map(([method, args]) => `${method} ${args.join(" ")}`), ["log", "info", "warn", "error", "debug", "trace"].map((m) => `${m} [redacted]`));
});

masked.run();
