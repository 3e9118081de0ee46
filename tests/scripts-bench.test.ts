import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, runBench, selectFunctions } from "../scripts/bench";
import { listWebhooks } from "../contract/webhooks";
import { checkTargets, formatReport, type BenchResults } from "../scripts/bench/report";
import { median, percentile, ratio } from "../scripts/bench/stats";
import { greetingOf, type LoadLevel } from "../scripts/bench/load";

const tmp = mkdtempSync(join(tmpdir(), "denwa-bench-test-"));
const out = join(tmp, "results.json");
const progress: string[] = [];
// One quick run shared by the tests below; its figures are only checked for shape, never for speed.
let quickRun: Promise<BenchResults>;

const shape = suite("runBench --quick");

shape.before(() => {
  quickRun = runBench({ quick: true, out, functions: [], progress: (line) => progress.push(line) });
});

shape("reports every section with positive figures, and writes the same to --out", async () => {
  const r = await quickRun;
  assert.is(r.quick, true);
  assert.equal(JSON.parse(readFileSync(out, "utf8")), JSON.parse(JSON.stringify(r)), "results.json holds what runBench returned");
  assert.ok(/^[0-9a-f]{40}(\+dirty)?$/.test(r.commit), `commit is a git hash: ${r.commit}`);
  assert.ok(r.machine.cpu.length > 0 && r.machine.cores > 0 && r.machine.memoryGiB > 0, "machine described");
  assert.ok(r.machine.node.startsWith("v") && r.machine.os.length > 0, "node and OS described");
  assert.equal(r.functions.map((f) => f.route), ["voice/hello"], "the quick run measures voice/hello");
  for (const f of r.functions) {
    for (const v of ["denwa", "mapped", "naive", "floor"] as const) {
      assert.ok(f.zipBytes[v]! > 0, `${v} zip size`);
      assert.ok(f.coldStartMs[v]! > 0, `${v} cold start`);
      assert.ok(f.warm[v]!.p50Us > 0 && f.warm[v]!.p99Us >= f.warm[v]!.p50Us, `${v} warm p50 <= p99`);
    }
    assert.ok(f.zipBytes.naive! > f.zipBytes.denwa!, "the naive bundle carries all of twilio");
    assert.ok(f.zipBytes.mapped! > f.zipBytes.denwa!, "the debug stages' zip carries the source map too");
  }
  assert.equal(r.emulator.map((l) => l.concurrency), [1, 2], "the smoke run's levels");
  for (const l of r.emulator) {
    assert.is(l.requests, 100, `c=${l.concurrency}: the fixed request count`);
    assert.is(l.ok, l.requests, `c=${l.concurrency}: every answer a signed-in hello (${l.firstProblem})`);
    assert.ok(l.rps > 0 && l.p50Ms > 0 && l.p99Ms >= l.p50Ms, `c=${l.concurrency}: throughput and latency`);
  }
  assert.equal(r.gatewayStages.map((l) => [l.concurrency, l.requests, l.ok]), [[1, 100, 100], [2, 100, 100]], "the gateway stages alone answer hello too");
  assert.equal(r.ceiling.map((l) => [l.concurrency, l.requests, l.ok]), [[1, 100, 100], [2, 100, 100]], "the fixed-reply ceiling under the same load");
  assert.is(r.p99Rounds.concurrency, 2, "the p99 rounds run at the top level");
  assert.equal([r.p99Rounds.emulator, r.p99Rounds.ceiling].map((levels) => levels.map((l) => [l.concurrency, l.ok])), [[[2, 100]], [[2, 100]]], "one round in the quick run");
  assert.equal(r.synth.stages, ["denwa-dev", "denwa-prod"]);
  assert.ok(r.synth.deepMs > 0, "synth timed");
  assert.equal([r.synth.packageRootMs, r.synth.ratio], [null, null], "the quick run leaves out the slow package-root synth");
  assert.ok(r.build.ms > 0 && r.build.functions === listWebhooks().length, "build of every function timed");
  assert.is(r.devLoop.readyMs.length, 1, "one make dev start");
  assert.is(r.devLoop.saveToServedMs.length, 2, "two saves of voice/hello");
  assert.ok(r.devLoop.readyMedianMs > 0 && r.devLoop.saveMaxMs >= r.devLoop.saveMedianMs, "the dev loop timed");
  assert.equal(r.peers, [], "peers are skipped in the quick run");
});

shape("computes every ratio from the figures it reports", async () => {
  const r = await quickRun;
  for (const f of r.functions) {
    assert.is(f.ratios.zipVsNaive, ratio(f.zipBytes.denwa!, f.zipBytes.naive!));
    assert.is(f.ratios.coldVsNaive, ratio(f.coldStartMs.denwa!, f.coldStartMs.naive!));
    assert.is(f.ratios.coldVsFloor, ratio(f.coldStartMs.denwa!, f.coldStartMs.floor!));
    assert.is(f.ratios.warmVsFloor, ratio(f.warm.denwa!.p50Us, f.warm.floor!.p50Us));
    assert.is(f.ratios.mappedZip, ratio(f.zipBytes.mapped!, f.zipBytes.denwa!));
    assert.is(f.ratios.mappedCold, ratio(f.coldStartMs.mapped!, f.coldStartMs.denwa!));
  }
  assert.is(r.synth.ratio, r.synth.packageRootMs === null ? null : ratio(r.synth.deepMs, r.synth.packageRootMs));
  assert.equal(r.targets, checkTargets(r), "targets derive from the figures alone");
  assert.is(r.allTargetsMet, r.targets.every((t) => t.met));
});

shape("prints a line as each phase starts and ends, and a table", async () => {
  const r = await quickRun;
  for (const name of ["cold start", "warm latency", "make dev", "synth", "emulator load"]) {
    assert.ok(progress.some((l) => l.startsWith("▶") && l.includes(name)), `${name} start line`);
    assert.ok(progress.some((l) => l.startsWith("✔") && l.includes(name)), `${name} end line`);
  }
  const table = formatReport(r);
  assert.ok(table.includes("| voice/hello |"), "a row per function");
  assert.ok(table.includes("| denwa emulator"), "a row per load level");
  assert.ok(table.includes("| denwa emulator, functions answered at once"), "the gateway stages alone beside them");
  assert.ok(table.includes("| fixed-reply node:http (ceiling)"), "the machine's ceiling beside them");
  assert.ok(table.includes("targets not checked"), "the quick run says it checks no target");
  assert.ok(table.includes("| save → served"), "the dev loop is a row of the targets");
  assert.not.ok(progress.includes("results not saved (make bench SAVE=1, or --save, writes bench/results.json)"), "--out saves");
});

shape.after(() => rmSync(tmp, { recursive: true, force: true }));
shape.run();

const level = (concurrency: number, rps: number, p99Ms: number): LoadLevel => ({
  concurrency, requests: 10, ok: 10, non200: 0, wrongBody: 0, errors: 0, timedOut: false, elapsedMs: 1, rps, p50Ms: p99Ms / 2, p99Ms,
});

function fixture(): Omit<BenchResults, "targets" | "allTargetsMet"> {
  return {
    date: "2026-01-01T00:00:00.000Z",
    quick: false,
    commit: "0".repeat(40),
    machine: { cpu: "cpu", cores: 2, memoryGiB: 1, node: "v20.0.0", os: "Linux" },
    settings: { coldStartProcesses: 10, warmInvocations: 10_000, loadRequests: 10, loadLevels: [1, 50], synthSamples: 1, devStarts: 3, devSaves: 5, p99Rounds: 3 },
    functions: [{
      route: "voice/hello",
      zipBytes: { denwa: 10 * 1024, mapped: 30 * 1024, naive: 400 * 1024, floor: 2 * 1024 },
      coldStartMs: { denwa: 24, mapped: 30, naive: 200, floor: 20 },
      warm: { denwa: { p50Us: 40, p99Us: 90 }, mapped: { p50Us: 40, p99Us: 90 }, naive: { p50Us: 45, p99Us: 95 }, floor: { p50Us: 10, p99Us: 20 } },
      ratios: { zipVsNaive: 0.025, coldVsNaive: 0.12, coldVsFloor: 1.2, warmVsFloor: 4, mappedZip: 3, mappedCold: 1.25 },
    }],
    build: { ms: 100, functions: 1 },
    synth: { stages: ["denwa-dev", "denwa-prod"], deepMs: 1000, packageRootMs: 6000, ratio: 0.167 },
    devLoop: { readyMs: [2000, 2900, 2500], readyMedianMs: 2500, saveToServedMs: [300, 500, 200, 450, 900], saveMedianMs: 450, saveMaxMs: 900 },
    emulator: [level(1, 900, 2), level(50, 5000, 12)],
    gatewayStages: [level(1, 1500, 1.5), level(50, 7000, 10)],
    ceiling: [level(1, 3000, 1), level(50, 8000, 8)],
    // Ratios 1.5, 1.1 and 3.33: one bad round does not decide the target.
    p99Rounds: { concurrency: 50, emulator: [level(50, 5000, 12), level(50, 5000, 11), level(50, 5000, 30)], ceiling: [level(50, 8000, 8), level(50, 8000, 10), level(50, 8000, 9)] },
    peers: [{ name: "peer", packages: { peer: "1.0.0" }, ran: true, levels: [level(1, 1000, 3), level(50, 100, 90)] }],
  };
}

const targets = suite("checkTargets");

targets("meets every target when each figure is within its limit", () => {
  const checked = checkTargets(fixture());
  assert.equal(checked.filter((t) => !t.met).map((t) => t.name), ["emulator faster than peer at c=1"], "only the slower level misses");
  assert.is(checked.length, 11, "five per function, p99 against the ceiling, one per peer level, synth, save → served, make dev ready");
});

targets("misses a target just past its limit", () => {
  const r = fixture();
  r.functions[0].zipBytes.denwa = 151 * 1024;
  r.functions[0].ratios = { ...r.functions[0].ratios, zipVsNaive: 0.04, coldVsNaive: 0.21, coldVsFloor: 1.26, warmVsFloor: 4.01 };
  r.p99Rounds.emulator[0] = level(50, 6000, 12.1);
  r.synth.ratio = 0.34;
  r.devLoop = { ...r.devLoop, saveMedianMs: 501, readyMedianMs: 3001 };
  const missed = checkTargets(r).filter((t) => !t.met).map((t) => t.name);
  assert.equal(missed, [
    "voice/hello zip vs naive",
    "voice/hello zip size",
    "voice/hello cold start vs naive",
    "voice/hello cold start vs floor",
    "voice/hello warm p50 vs floor",
    "emulator p99 at c=50 vs fixed-reply node:http (median of 3 rounds)",
    "emulator faster than peer at c=1",
    "synth of both stages vs package root",
    "save → served (median of 5)",
    "make dev ready (median of 3)",
  ]);
});

targets("save → served needs at least five saves", () => {
  const r = fixture();
  r.devLoop = { ...r.devLoop, saveToServedMs: [100, 100, 100, 100] };
  assert.ok(checkTargets(r).some((t) => t.name.startsWith("save → served") && !t.met), "four saves are too few to meet it");
});

targets("the p99 target reads the median round, and misses on any failed request", () => {
  const met = checkTargets(fixture()).find((t) => t.name.startsWith("emulator p99"))!;
  assert.equal([met.met, met.actual], [true, "1.5× (rounds 1.5×, 1.1×, 3.33×)"], "the median of 1.5, 1.1 and 3.33");
  const r = fixture();
  r.p99Rounds.emulator[1] = { ...level(50, 5000, 11), ok: 9 };
  assert.not.ok(checkTargets(r).find((t) => t.name.startsWith("emulator p99"))!.met, "a failed request in any round misses it");
});

targets("ignores peers that did not run", () => {
  const r = fixture();
  r.peers[0] = { ...r.peers[0], ran: false, reason: "It could not be installed.", levels: [] };
  assert.ok(checkTargets(r).every((t) => !t.name.includes("peer")));
});

targets.run();

const helpers = suite("bench helpers");

helpers("parseArgs reads --quick, --save, --out and --function, and refuses anything else", () => {
  assert.is(parseArgs(["--quick"]).quick, true);
  assert.is(parseArgs([]).out, undefined, "nothing is written unless asked");
  assert.ok(parseArgs(["--save"]).out!.endsWith(join("bench", "results.json")));
  assert.is(parseArgs(["--out", "/tmp/x.json"]).out, "/tmp/x.json");
  assert.equal(parseArgs(["--function", "voice/x", "--function", "sms/y"]).functions, ["voice/x", "sms/y"]);
  assert.throws(() => parseArgs(["--fast"]), /^Unknown option --fast; see --help for the options\.$/);
});

helpers("selectFunctions takes the starters and what is asked for, never a user's handler unasked", () => {
  const all = [...listWebhooks(), { route: "voice/mine", slug: "voice-mine", file: "/x/functions/voice/mine.ts" }];
  const starters = selectFunctions(all, [], false).map((s) => s.route);
  assert.not.ok(starters.includes("voice/mine"), "a handler the floor has no twin of is not measured unasked");
  assert.ok(starters.includes("voice/hello"));
  assert.ok(selectFunctions(all, ["voice/mine"], false).some((s) => s.route === "voice/mine"), "asked for, it is measured");
  assert.throws(() => selectFunctions(all, ["voice/none"], false), /--function voice\/none: there is no functions\/voice\/none\.ts\./);
});

helpers("median, percentile and ratio", () => {
  assert.is(median([5, 1, 3]), 3);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assert.is(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
  assert.is(ratio(1, 3), 0.333);
});

helpers("greetingOf reads the first <Say>, and says so when there is none", () => {
  assert.is(greetingOf('<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="x">もしもし</Say></Response>'), "もしもし");
  assert.throws(() => greetingOf("<Response/>"), /has no <Say>/);
});

helpers.run();
