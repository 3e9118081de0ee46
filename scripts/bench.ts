// `make bench`: bundle size, cold start, warm latency, emulator and peer throughput, synth and build
// time, each against its comparison in the same run. Prints a table, writes bench/results.json,
// and exits 1 when a target is missed. `--quick` is a few-second smoke run without targets.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { commandLine, readArgs, runCommand } from "../contract/cli";
import { buildAll } from "./build";
import { listWebhooks, MANIFEST } from "../contract/webhooks";
import { measureColdStarts, writeEvents } from "./bench/cold-start";
import { measureCeiling, measureEmulator } from "./bench/emulator-load";
import { measurePeers } from "./bench/peers";
import { phase, type Progress } from "./bench/progress";
import { checkTargets, describeMachine, formatReport, functionRatios, gitCommit, type BenchResults, type FunctionFigures } from "./bench/report";
import { greetingOf } from "./bench/load";
import { ratio } from "./bench/stats";
import { measureBuild, measureSynth } from "./bench/synth";
import { startTokenStore } from "./bench/token-store";
import { buildVariants, VARIANTS, type VariantName } from "./bench/variants";
import { measureWarm } from "./bench/warm";

const ROOT = join(__dirname, "..");

export interface BenchOptions {
  quick: boolean;
  out: string;
  progress: Progress;
}

const BENCH_LINE = commandLine({
  name: "make bench",
  usage: "usage: npx tsx scripts/bench.ts (make bench) [--quick] [--out FILE]",
  options: { quick: { type: "boolean", default: false }, out: { type: "string" } },
});

export function parseArgs(args: string[]): Omit<BenchOptions, "progress"> {
  const { values } = readArgs(BENCH_LINE, args);
  return { quick: values.quick, out: values.out === undefined ? join(ROOT, "bench", "results.json") : resolve(values.out) };
}

export async function runBench({ quick, out, progress }: BenchOptions): Promise<BenchResults> {
  const settings = {
    coldStartProcesses: quick ? 2 : 10,
    warmInvocations: quick ? 500 : 10_000,
    loadRequests: quick ? 100 : 2000,
    loadLevels: [1, 10, 50],
    synthSamples: quick ? 1 : 3,
  };
  // Outside the project, so that no bundle under test can resolve the project's node_modules.
  const workDir = mkdtempSync(join(tmpdir(), "denwa-bench-"));
  const ssm = await startTokenStore();
  try {
    if (!existsSync(MANIFEST)) await phase(progress, "build into dist/ (no build found)", () => buildAll());
    const build = await phase(progress, "build time of every function", () => measureBuild(workDir, quick ? 1 : 3));
    // One function in the quick run: the naive bundles alone take seconds to build.
    const sources = quick ? listWebhooks().filter((s) => s.route === "voice/hello") : listWebhooks();
    const variants = await phase(progress, `bundles: ${VARIANTS.join(", ")} × ${sources.length} functions`, () => buildVariants(workDir, sources));
    const events = writeEvents(workDir, variants);
    const cold = await phase(progress, `cold start (${settings.coldStartProcesses} processes per bundle)`, () =>
      measureColdStarts(variants, ssm, events, settings.coldStartProcesses, progress));
    const warm = await phase(progress, `warm latency (${settings.warmInvocations} invocations per bundle)`, () =>
      measureWarm(variants, ssm, events, settings.warmInvocations, progress));
    const synth = await phase(progress, "synth of both stages, deep imports vs package root", () => measureSynth(workDir, settings.synthSamples, progress, quick));
    const hello = cold.find((c) => c.variant.variant === "denwa" && c.variant.route === "voice/hello");
    if (!hello) throw new Error("The load phases serve voice/hello, and functions/voice/hello.ts is missing.");
    const loadPlan = { levels: settings.loadLevels, requests: settings.loadRequests, timeCapMs: quick ? 15_000 : 60_000, greeting: greetingOf(hello.firstAnswer.body) };
    const emulator = await phase(progress, `emulator load (${settings.loadRequests} requests per level)`, () =>
      measureEmulator(join(synth.outDir, "stacks", "denwa-dev"), loadPlan, progress));
    const ceiling = await phase(progress, "machine ceiling: a fixed-reply node:http server, same load", () => measureCeiling(hello.firstAnswer.body, loadPlan, progress));
    const peers = quick ? [] : await phase(progress, "peers: install and load", () => measurePeers({ ...loadPlan, timeCapMs: 30_000 }, progress));

    const functions: FunctionFigures[] = sources.map((source) => {
      const pick = <T>(value: (variant: VariantName) => T | undefined) =>
        Object.fromEntries(VARIANTS.map((v) => [v, value(v) ?? null])) as Record<VariantName, T | null>;
      const of = <T extends { variant: { variant: VariantName; route: string } }>(list: T[], v: VariantName) =>
        list.find((x) => x.variant.variant === v && x.variant.route === source.route);
      const figures = {
        route: source.route,
        zipBytes: pick((v) => variants.find((x) => x.variant === v && x.route === source.route)?.zipBytes),
        coldStartMs: pick((v) => of(cold, v)?.medianMs),
        warm: pick((v) => {
          const w = of(warm, v);
          return w && { p50Us: w.p50Us, p99Us: w.p99Us };
        }),
      };
      return { ...figures, ratios: functionRatios(figures) };
    });
    const partial = {
      date: new Date().toISOString(),
      quick,
      commit: gitCommit(ROOT),
      machine: describeMachine(),
      settings,
      functions,
      build,
      synth: { stages: synth.stages, deepMs: synth.deepMs, packageRootMs: synth.rootMs, ratio: ratio(synth.deepMs, synth.rootMs) },
      emulator,
      ceiling,
      peers,
    };
    const targets = checkTargets(partial);
    const results: BenchResults = { ...partial, targets, allTargetsMet: targets.every((t) => t.met) };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
    progress(`results written to ${relative(process.cwd(), out) || out}`);
    return results;
  } finally {
    await ssm.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCommand(BENCH_LINE, async () => {
    // Progress goes to stderr, so stdout holds the table alone.
    const results = await runBench({ ...parseArgs(process.argv.slice(2)), progress: (line) => console.error(line) });
    console.log(formatReport(results));
    return !results.quick && !results.allTargetsMet ? 1 : 0;
  });
}
