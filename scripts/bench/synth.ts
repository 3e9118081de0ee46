// Synth: `main.ts` in a fresh process per sample, writing both stages' stacks, against the same
// stacks with @cdktf/provider-aws taken from its package root (provider-root-hook.cjs preloaded,
// infra untouched). Also the build of every function, as `make build` runs it.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "../../testkit/process";
import { buildAll } from "../build";
import type { Progress } from "./progress";
import { median } from "./stats";

const ROOT = join(__dirname, "..", "..");
const ROOT_HOOK = join(__dirname, "provider-root-hook.cjs");

export type SynthVariant = "deep" | "root";

export interface SynthTiming {
  deepMs: number;
  rootMs: number | null;
  stages: string[];
  /** Where the last deep-import synth wrote its stacks (served to the emulator next). */
  outDir: string;
}

async function synthOnce(variant: SynthVariant, outDir: string): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  const preload = variant === "root" ? ["--require", ROOT_HOOK] : [];
  const started = performance.now();
  const { status, stderr } = await runProcess(process.execPath, [...preload, "--require", "tsx/cjs", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outDir },
    timeoutMs: 120_000,
  });
  if (status !== 0) throw new Error(`synth (${variant} imports) failed (${status === null ? "killed after 120 s" : `exit ${status}`}): ${stderr.trim().slice(-1000) || "no message"}`);
  return performance.now() - started;
}

function stacksOf(outDir: string): Map<string, string> {
  const stacks = join(outDir, "stacks");
  return new Map(readdirSync(stacks).sort().map((name) => [name, readFileSync(join(stacks, name, "cdk.tf.json"), "utf8")]));
}

/** `withRoot` false (the quick smoke run) leaves out the package-root synth, which takes many seconds. */
export async function measureSynth(workDir: string, samples: number, progress: Progress, withRoot = true): Promise<SynthTiming> {
  const deep: number[] = [];
  const root: number[] = [];
  const deepDir = join(workDir, "synth-deep");
  const rootDir = join(workDir, "synth-root");
  for (let i = 0; i < samples; i++) {
    deep.push(await synthOnce("deep", deepDir));
    if (withRoot) root.push(await synthOnce("root", rootDir));
    progress(`  synth ${i + 1}/${samples}: deep ${deep[i].toFixed(0)} ms${withRoot ? `, package root ${root[i].toFixed(0)} ms` : ""}`);
  }
  const ours = stacksOf(deepDir);
  if (withRoot) {
    const theirs = stacksOf(rootDir);
    for (const [name, json] of ours) {
      if (theirs.get(name) !== json) throw new Error(`The package-root synth wrote a different ${name}: the comparison is void.`);
    }
  }
  return { deepMs: median(deep), rootMs: withRoot ? median(root) : null, stages: [...ours.keys()], outDir: deepDir };
}

/** `make build` into a scratch folder, so dist/ (which infra and other tools read) is left alone. */
export async function measureBuild(workDir: string, samples: number): Promise<{ ms: number; functions: number }> {
  const times: number[] = [];
  let functions = 0;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const built = await buildAll({ outDir: join(workDir, "build", "functions"), manifestPath: join(workDir, "build", "manifest.json") });
    times.push(performance.now() - started);
    functions = built.length;
  }
  return { ms: median(times), functions };
}
