// make test: every tests/**/*.test.ts, in two worker processes that each take the next file as
// they finish one (longest first, by the times of the last run). A passing file prints one line;
// a failing one prints what its failing tests wrote (log lines included) and uvu's report. The
// last line is "N passed, N failed" (", N skipped" when any), and the exit code is 1 on any failure.
//   npx tsx tests/run.ts [PATTERN]   runs the files whose path matches PATTERN
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import type { FileResult, ToWorker } from "./run-worker";

const ROOT = join(__dirname, "..");
const TIMES = join(ROOT, "node_modules", ".cache", "denwa-test-times.json");
/** Two, for this machine's two cores: several tests start processes of their own as well. */
const WORKERS = Math.min(2, availableParallelism());
/** A file still running after this long is stopped and counted as failed. */
const FILE_LIMIT_MS = 600_000;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(path);
      return entry.name.endsWith(".test.ts") ? [path] : [];
    })
    .sort();
}

function readTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TIMES, "utf8"));
  } catch {
    return {};
  }
}

const pattern = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
const times = readTimes();
const queue = testFiles(join(ROOT, "tests"))
  .map((file) => relative(ROOT, file))
  .filter((file) => !pattern || pattern.test(file))
  .sort((a, b) => (times[b] ?? Infinity) - (times[a] ?? Infinity));
const results: FileResult[] = [];
const started = Date.now();

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function report(result: FileResult): void {
  results.push(result);
  times[result.file] = result.ms;
  const counts = `${result.passed} passed${result.failed ? `, ${result.failed} failed` : ""}${result.skipped ? `, ${result.skipped} skipped` : ""}`;
  process.stdout.write(`${result.failed ? "FAIL" : "ok  "} ${result.file}  ${counts}  ${seconds(result.ms)}\n`);
  if (result.failed) process.stdout.write(`${result.output.replace(/\n*$/, "\n")}\n`);
}

/** One worker process: takes files from the queue until it is empty. */
function worker(): Promise<void> {
  return new Promise((done) => {
    let current: { file: string; since: number; output: string; timer: NodeJS.Timeout } | undefined;
    let raw = "";
    const child: ChildProcess = fork(join(__dirname, "run-worker.ts"), [], {
      cwd: ROOT,
      execArgv: ["-r", "tsx/cjs"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    // Anything a test wrote around the capture (a crash's own report): shown only if it fails.
    child.stdout!.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    const next = () => {
      const file = queue.shift();
      if (!file) {
        child.send({ stop: true } satisfies ToWorker);
        return;
      }
      raw = "";
      current = { file, since: Date.now(), output: "", timer: setTimeout(() => child.kill("SIGKILL"), FILE_LIMIT_MS) };
      child.send({ file: join(ROOT, file) } satisfies ToWorker);
    };
    child.on("message", (message: { output: string } | { result: FileResult }) => {
      if (!current) return;
      if ("output" in message) current.output += message.output;
      else {
        clearTimeout(current.timer);
        report({ ...message.result, file: current.file, ms: Date.now() - current.since });
        current = undefined;
        next();
      }
    });
    child.on("exit", (code, signal) => {
      if (current) {
        clearTimeout(current.timer);
        const ms = Date.now() - current.since;
        const why = signal === "SIGKILL" && ms >= FILE_LIMIT_MS ? `still running after ${seconds(FILE_LIMIT_MS)}` : `its process exited (${signal ?? `code ${code}`})`;
        report({ file: current.file, passed: 0, failed: 1, skipped: 0, ms, output: `${current.output}${raw}\n  ${current.file} did not finish: ${why}.\n` });
        current = undefined;
        // The rest of the queue goes on in a fresh process.
        if (queue.length) return void worker().then(done);
      }
      done();
    });
    next();
  });
}

async function main(): Promise<void> {
  await Promise.all(Array.from({ length: Math.min(queue.length, WORKERS) }, () => worker()));
  mkdirSync(join(TIMES, ".."), { recursive: true });
  writeFileSync(TIMES, JSON.stringify(times, null, 1));
  const sum = (key: "passed" | "failed" | "skipped") => results.reduce((n, r) => n + r[key], 0);
  const failedFiles = results.filter((r) => r.failed).map((r) => r.file);
  process.stdout.write(`\n${results.length} files in ${seconds(Date.now() - started)}${failedFiles.length ? `; failed: ${failedFiles.join(", ")}` : ""}\n`);
  if (results.length === 0) process.stdout.write(`no test file matches ${pattern}\n`);
  const skipped = sum("skipped");
  process.stdout.write(`${sum("passed")} passed, ${sum("failed")} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  process.exitCode = sum("failed") > 0 || results.length === 0 ? 1 : 0;
}

void main();
