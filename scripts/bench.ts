// `make bench`: bundle size, cold start, warm latency, the dev loop, emulator and peer throughput,
// synth and build time, each against its comparison in the same run. Prints a table and exits 1
// when a target is missed; `--save` writes bench/results.json. It measures the starters (the
// webhooks the floor has a hand-written twin of) and what `--function ROUTE` names: a user's
// own handler runs only when asked for. `--quick` is a few-second smoke run without targets.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { UserError } from "../contract";
import { commandLine, readArgs, runCommand } from "../contract/cli";
import { buildAll } from "./build";
import { listWebhooks, MANIFEST, type WebhookSource } from "../contract/webhooks";
import { measureColdStarts, writeEvents } from "./bench/cold-start";
import { measureDevLoop } from "./bench/dev-loop";
import { measureCeiling, measureEmulator, measureGatewayStages, measureP99Rounds } from "./bench/emulator-load";
import { installPeers, measurePeers } from "./bench/peers";
import { phase, type Progress } from "./bench/progress";
import { checkTargets, describeMachine, formatReport, functionRatios, gitCommit, type BenchResults, type FunctionFigures } from "./bench/report";
import { greetingOf } from "./bench/load";
import { ratio } from "./bench/stats";
import { measureBuild, measureSynth } from "./bench/synth";
import { startTokenStore } from "./bench/token-store";
import { buildVariants, hasFloor, VARIANTS, type VariantName } from "./bench/variants";
import { measureWarm } from "./bench/warm";

const ROOT = join(__dirname, "..");

export interface BenchOptions {
  quick: boolean;
  /** Where to write the results; none unless --save or --out. */
  out?: string;
  /** Routes to measure besides the starters. */
  functions: string[];
  progress: Progress;
}

const BENCH_LINE = commandLine({
  name: "make bench",
  usage: "usage: npx tsx scripts/bench.ts (make bench) [--quick] [--save] [--out FILE] [--function ROUTE]...\n" +
    "  --save writes bench/results.json (make bench SAVE=1); --out FILE writes FILE instead;\n" +
    "  --function ROUTE measures a webhook of yours besides the starters (make bench FN=voice/x).",
  options: {
    quick: { type: "boolean", default: false },
    save: { type: "boolean", default: false },
    out: { type: "string" },
    function: { type: "string", multiple: true, default: [] },
  },
});

export function parseArgs(args: string[]): Omit<BenchOptions, "progress"> {
  const { values } = readArgs(BENCH_LINE, args);
  const out = values.out !== undefined ? resolve(values.out) : values.save ? join(ROOT, "bench", "results.json") : undefined;
  return { quick: values.quick, out, functions: values.function };
}

/** The starters that are there, then the routes asked for; a route asked for that is not there is refused. */
export function selectFunctions(all: WebhookSource[], asked: string[], quick: boolean): WebhookSource[] {
  for (const route of asked) {
    if (!all.some((s) => s.route === route)) throw new UserError(`--function ${route}: there is no functions/${route}.ts.`);
  }
  // One function in the quick run: the naive bundles alone take seconds to build.
  if (quick) return all.filter((s) => s.route === "voice/hello");
  return all.filter((s) => hasFloor(s) || asked.includes(s.route));
}

export async function runBench({ quick, out, functions: asked, progress }: BenchOptions): Promise<BenchResults> {
  const settings = {
    // 30: a median of 10 moved by 3% between runs, as much as the margin of the 1.25x target.
    coldStartProcesses: quick ? 2 : 30,
    warmInvocations: quick ? 500 : 10_000,
    loadRequests: quick ? 100 : 2000,
    // The smoke run stays within the emulator's environments (two at least), so no call waits on a busy machine.
    loadLevels: quick ? [1, 2] : [1, 10, 50],
    synthSamples: quick ? 1 : 3,
    devStarts: quick ? 1 : 3,
    devSaves: quick ? 2 : 7,
    p99Rounds: quick ? 1 : 5,
  };
  const sources = selectFunctions(listWebhooks(), asked, quick);
  // Outside the project, so that no bundle under test can resolve the project's node_modules.
  const workDir = mkdtempSync(join(tmpdir(), "denwa-bench-"));
  const ssm = await startTokenStore();
  try {
    // First, so that nothing is fetched while anything is being measured.
    const installs = quick ? [] : await phase(progress, "peers: npm ci from bench/peers/*/package-lock.json", () => installPeers(progress));
    if (!existsSync(MANIFEST)) await phase(progress, "build into dist/ (no build found)", () => buildAll());
    const build = await phase(progress, "build time of every function", () => measureBuild(workDir, quick ? 1 : 3));
    const variants = await phase(progress, `bundles: ${VARIANTS.join(", ")} × ${sources.length} functions`, () => buildVariants(workDir, sources));
    const events = writeEvents(workDir, variants);
    const cold = await phase(progress, `cold start (${settings.coldStartProcesses} processes per bundle)`, () =>
      measureColdStarts(variants, ssm, events, settings.coldStartProcesses, progress));
    const warm = await phase(progress, `warm latency (${settings.warmInvocations} invocations per bundle)`, () =>
      measureWarm(variants, ssm, events, settings.warmInvocations, progress));
    const devLoop = await phase(progress, `make dev: ${settings.devStarts} starts, ${settings.devSaves} saves of voice/hello`, () =>
      measureDevLoop(settings.devStarts, settings.devSaves, sources.filter(hasFloor).map((s) => s.route), progress));
    const synth = await phase(progress, "synth of both stages, deep imports vs package root", () => measureSynth(workDir, settings.synthSamples, progress, !quick));
    const hello = cold.find((c) => c.variant.variant === "denwa" && c.variant.route === "voice/hello");
    if (!hello) throw new Error("The load phases serve voice/hello, and functions/voice/hello.ts is missing.");
    const loadPlan = { levels: settings.loadLevels, requests: settings.loadRequests, timeCapMs: quick ? 15_000 : 60_000, greeting: greetingOf(hello.firstAnswer.body) };
    const emulator = await phase(progress, `emulator load (${settings.loadRequests} requests per level)`, () =>
      measureEmulator(join(synth.outDir, "stacks", "denwa-dev"), loadPlan, progress));
    const { statusCode, contentType, body } = hello.firstAnswer;
    const gatewayStages = await phase(progress, "the emulator's HTTP and API Gateway stages alone: functions answered at once, same load", () =>
      measureGatewayStages(join(synth.outDir, "stacks", "denwa-dev"), JSON.stringify({ statusCode, contentType, body }), loadPlan, progress));
    const ceiling = await phase(progress, "machine ceiling: a fixed-reply node:http server, same load", () => measureCeiling(body, loadPlan, progress));
    const p99Rounds = await phase(progress, `p99 target: emulator and fixed reply in turn at c=${loadPlan.levels[loadPlan.levels.length - 1]}, ${settings.p99Rounds} rounds`, () =>
      measureP99Rounds(join(synth.outDir, "stacks", "denwa-dev"), body, loadPlan, settings.p99Rounds, progress));
    const peers = quick ? [] : await phase(progress, "peers: load", () => measurePeers(installs, { ...loadPlan, timeCapMs: 30_000 }, progress));

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
      synth: { stages: synth.stages, deepMs: synth.deepMs, packageRootMs: synth.rootMs, ratio: synth.rootMs === null ? null : ratio(synth.deepMs, synth.rootMs) },
      devLoop,
      emulator,
      gatewayStages,
      ceiling,
      p99Rounds,
      peers,
    };
    const targets = checkTargets(partial);
    const results: BenchResults = { ...partial, targets, allTargetsMet: targets.every((t) => t.met) };
    if (out) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
      progress(`results written to ${relative(process.cwd(), out) || out}`);
    } else progress("results not saved (make bench SAVE=1, or --save, writes bench/results.json)");
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
