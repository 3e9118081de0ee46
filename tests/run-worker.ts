// One worker process of tests/run.ts: runs the test files it is sent, one at a time, with uvu's
// own suite runners, and sends back each file's counts. What tests write (uvu's dots, log lines)
// is kept per test and sent only for the tests that failed.
import { format } from "node:util";

export type ToWorker = { file: string } | { stop: true };

export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
  /** What the failing tests wrote, then uvu's report of each failure. */
  output: string;
}

type SuiteRunner = () => Promise<[errors: string | true, passed: number, skipped: number, total: number]>;

declare global {
  // uvu's queue of suite runners, filled as a test file calls suite.run() (uvu/run does the same).
  var UVU_DEFER: number;
  var UVU_QUEUE: unknown[][];
  var UVU_INDEX: number;
}

globalThis.UVU_DEFER = 1;
// Loaded after UVU_DEFER is set, so suites queue their runners instead of running on their own.
const uvu = require("uvu");

// uvu counts a suite whose before hook threw as not run and drops the error: keep it to show.
const hookErrors: unknown[] = [];
const suite = uvu.suite;
uvu.suite = (...args: unknown[]) => {
  const created = suite(...args);
  const before = created.before;
  const kept = (hook: (context: unknown) => unknown) =>
    before(async (context: unknown) => {
      try {
        await hook(context);
      } catch (error) {
        hookErrors.push(error);
        throw error;
      }
    });
  kept.each = before.each;
  created.before = kept;
  return created;
};

// uvu marks each test's end with a dot or a cross; what was written since the last mark is that test's.
const PASS = "• ";
const FAIL = "✘ ";
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

let segment = "";
let failedOutput = "";
const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
  const mark = plain(text);
  // uvu's suite headers and "(n / m)" tallies say nothing the summary does not.
  if (text.includes("\x1b[47m") || /^\s*\(\d+ \/ \d+\)\n$/.test(mark)) return finish(encoding, callback);
  if (mark === PASS) segment = "";
  else if (mark === FAIL) {
    failedOutput += segment;
    segment = "";
  } else segment += text;
  return finish(encoding, callback);
};

function finish(encoding: unknown, callback: unknown): true {
  const done = typeof encoding === "function" ? encoding : callback;
  if (typeof done === "function") process.nextTick(done as () => void);
  return true;
}
process.stdout.write = write as typeof process.stdout.write;
process.stderr.write = write as typeof process.stderr.write;
for (const method of ["log", "info", "warn", "error", "debug"] as const) console[method] = (...args: unknown[]) => void write(`${format(...args)}\n`);

async function runFile(file: string): Promise<Omit<FileResult, "file" | "ms">> {
  globalThis.UVU_QUEUE = [[]];
  globalThis.UVU_INDEX = 0;
  segment = "";
  failedOutput = "";
  hookErrors.length = 0;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let reports = "";
  try {
    require(file);
    for (const run of globalThis.UVU_QUEUE[0] as SuiteRunner[]) {
      const [errors, ran, skip, total] = await run();
      passed += ran;
      failed += total - ran;
      skipped += skip;
      if (errors !== true) reports += errors;
    }
  } catch (error) {
    failed++;
    reports += `  ${file} could not run: ${(error as Error)?.stack ?? String(error)}\n`;
  }
  for (const error of hookErrors) reports += `  a before hook failed, so its suite did not run: ${(error as Error)?.stack ?? String(error)}\n`;
  return { passed, failed, skipped, output: failedOutput + (failed ? segment : "") + reports };
}

process.on("message", async (message: ToWorker) => {
  // A server or timer a test left open must not keep the run waiting for this process.
  if ("stop" in message) process.exit(0);
  const result = await runFile(message.file);
  process.send!({ result });
});
