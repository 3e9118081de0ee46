// `make reliability`: every reliability and security suite through the emulator, against stacks
// synthesized by the real infra code from the real build, with thousands of random cases and the
// load run; prints one table (suite, cases tried, passed, failed, seed) and exits 1 on any failure.
// DENWA_SEED=<n> replays the random cases of a run.
import { join } from "node:path";
import { runCommand } from "../contract/cli";
import { CONTENT_TYPE_CASES, arbitraryBodyProperty } from "./reliability/content-types";
import { FAULT_CASES, MALFORMED_EVENTS, directInvoke, expectNotAnEvent, malformedEventProperty } from "./reliability/faults";
import { fuzzProperty, smsProperty } from "./reliability/fuzz";
import { LEAK_CASES } from "./reliability/leaks";
import { MEMORY_BOUND, runLoad } from "./reliability/load";
import { policyCases, stacksIn } from "./reliability/policy";
import { checkProperty, seedFromEnv, type PropertyRun } from "./reliability/property";
import { formatTable, Tally, type SuiteResult } from "./reliability/report";
import { startRig, type Rig } from "./reliability/rig";

const ROOT = join(__dirname, "..");
const MB = 1024 * 1024;

function count(tally: Tally, run: PropertyRun, what: string): void {
  tally.add(run.tried, run.failed, run.failure);
  if (run.skipped > 0) tally.figure(`${what}: ${run.skipped} tamperings left out, as the signed text stayed the same`);
}

async function policy(rig: Rig): Promise<SuiteResult> {
  const tally = new Tally("policy lint");
  const stacks = [...stacksIn(join(rig.stacks.root, "cdktf.out", "stacks"), "suite stacks"), ...stacksIn(join(ROOT, "cdktf.out", "stacks"), "cdktf.out/stacks")];
  await tally.cases(policyCases(stacks), undefined);
  tally.figure(`policy lint: ${stacks.length} stacks (${stacks.map((s) => s.label).join(", ")})`);
  return tally.done();
}

async function fuzz(rig: Rig, seed: number): Promise<SuiteResult> {
  const tally = new Tally("fuzz: signed forms, tampering", seed);
  count(tally, await checkProperty(fuzzProperty(rig), { numRuns: 3000, seed, timeLimitMs: 300_000 }), "fuzz");
  count(tally, await checkProperty(smsProperty(rig), { numRuns: 1000, seed, timeLimitMs: 120_000 }), "sms");
  return tally.done();
}

async function contentTypes(rig: Rig, seed: number): Promise<SuiteResult> {
  const tally = new Tally("content types, bad bodies", seed);
  await tally.cases(CONTENT_TYPE_CASES, rig);
  count(tally, await checkProperty(arbitraryBodyProperty(rig.prod), { numRuns: 1000, seed, timeLimitMs: 120_000 }), "bodies");
  return tally.done();
}

async function faults(rig: Rig, seed: number): Promise<SuiteResult> {
  const tally = new Tally("faults", seed);
  await tally.cases(FAULT_CASES, rig);
  const direct = await directInvoke(rig.stacks.dirs.prod, "voice/hello");
  try {
    for (const event of MALFORMED_EVENTS) await tally.check(`malformed event ${JSON.stringify(event)}`, () => expectNotAnEvent(direct, event));
    count(tally, await checkProperty(malformedEventProperty(direct), { numRuns: 300, seed, timeLimitMs: 60_000 }), "events");
  } finally {
    await direct.close();
  }
  return tally.done();
}

async function load(rig: Rig): Promise<SuiteResult> {
  const tally = new Tally("load: 10,000 at concurrency 50");
  const result = await runLoad(rig.stacks.dirs.dev, "dev", { requests: 10_000, concurrency: 50, warmup: 2_000 });
  tally.add(result.requests, result.errors + result.mismatched, result.firstProblem);
  const heap = (result.after.heapUsed - result.before.heapUsed) / MB;
  const rss = (result.after.rss - result.before.rss) / MB;
  await tally.check("emulator memory within bound", async () => {
    if (heap > MEMORY_BOUND.heapUsedMb || rss > MEMORY_BOUND.rssMb) {
      throw new Error(`heapUsed grew ${heap.toFixed(1)} MB (bound ${MEMORY_BOUND.heapUsedMb}), rss ${rss.toFixed(1)} MB (bound ${MEMORY_BOUND.rssMb}).`);
    }
  });
  await tally.check("no error line and no token in the load's log lines", async () => {
    if (result.after.errorLines + result.after.problems + result.after.tokenLines > 0) throw new Error(JSON.stringify(result.after));
  });
  tally.figure(
    `load: ${result.requests} requests in ${result.seconds.toFixed(1)} s (${Math.round(result.requests / result.seconds)}/s), ` +
      `${result.errors} errors, ${result.mismatched} mismatched bodies, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`,
  );
  tally.figure(
    `load: emulator rss ${(result.before.rss / MB).toFixed(0)} → ${(result.after.rss / MB).toFixed(0)} MB (${rss >= 0 ? "+" : ""}${rss.toFixed(1)}, bound +${MEMORY_BOUND.rssMb}), ` +
      `heapUsed ${(result.before.heapUsed / MB).toFixed(1)} → ${(result.after.heapUsed / MB).toFixed(1)} MB (${heap >= 0 ? "+" : ""}${heap.toFixed(1)}, bound +${MEMORY_BOUND.heapUsedMb}), after a full GC`,
  );
  return tally.done();
}

async function leaks(rig: Rig): Promise<SuiteResult> {
  const tally = new Tally("leaks");
  await tally.cases(LEAK_CASES, rig);
  return tally.done();
}

async function main(): Promise<number> {
  const seed = seedFromEnv();
  const started = Date.now();
  const rig = await startRig();
  const results: SuiteResult[] = [];
  try {
    for (const [name, suite] of [
      ["policy lint", () => policy(rig)],
      ["fuzzing", () => fuzz(rig, seed)],
      ["content types", () => contentTypes(rig, seed)],
      ["faults", () => faults(rig, seed)],
      ["load", () => load(rig)],
      ["leaks", () => leaks(rig)],
    ] as const) {
      const suiteStarted = Date.now();
      process.stdout.write(`${name}…`);
      results.push(await suite());
      process.stdout.write(` ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await rig.close();
  }
  console.log(`\n${formatTable(results)}\n`);
  for (const figure of results.flatMap((r) => r.figures)) console.log(`- ${figure}`);
  const failures = results.flatMap((r) => r.failures.map((f) => `${r.suite}: ${f}`));
  for (const failure of failures) console.log(`\nFAILED ${failure}`);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`\n${failed === 0 ? "all passed" : `${failed} failed`} in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed} (DENWA_SEED=${seed} replays)`);
  return failed === 0 ? 0 : 1;
}

runCommand({ name: "make reliability", usage: "usage: make reliability [DENWA_SEED=n]: every reliability and security suite, one table", options: {} }, main);
