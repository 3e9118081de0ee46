// What a run found: figures, ratios, targets met or missed, and the machine they were measured
// on, as bench/results.json and as the table printed on stdout (and pasted into the README).
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, type, arch } from "node:os";
import type { DevLoop } from "./dev-loop";
import type { P99Rounds } from "./emulator-load";
import type { LoadLevel } from "./load";
import type { PeerResult } from "./peers";
import { median, ratio, round } from "./stats";
import { markdownTable } from "../table";
import type { VariantName } from "./variants";

export interface Warm {
  p50Us: number;
  p99Us: number;
}

export interface FunctionFigures {
  route: string;
  zipBytes: Record<VariantName, number | null>;
  coldStartMs: Record<VariantName, number | null>;
  warm: Record<VariantName, Warm | null>;
  ratios: {
    zipVsNaive: number;
    coldVsNaive: number;
    coldVsFloor: number | null;
    warmVsFloor: number | null;
    /** What the source map costs debug stages: the mapped zip's size and cold start over the plain one's. */
    mappedZip: number;
    mappedCold: number;
  };
}

export interface Target {
  name: string;
  limit: string;
  actual: string;
  met: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  commit: string;
  machine: Machine;
  settings: { coldStartProcesses: number; warmInvocations: number; loadRequests: number; loadLevels: number[]; synthSamples: number; devStarts: number; devSaves: number; p99Rounds: number };
  functions: FunctionFigures[];
  build: { ms: number; functions: number };
  /** The package-root figures are left out of the quick run. */
  synth: { stages: string[]; deepMs: number; packageRootMs: number | null; ratio: number | null };
  devLoop: DevLoop;
  emulator: LoadLevel[];
  /** The emulator with every function answered at once: its HTTP and API Gateway stages alone, not a target. */
  gatewayStages: LoadLevel[];
  /** A node:http server answering fixed TwiML under the same load: the machine's ceiling, not a target. */
  ceiling: LoadLevel[];
  /** What the p99 target reads: the emulator and the ceiling in turn at the top concurrency. */
  p99Rounds: P99Rounds;
  peers: PeerResult[];
  targets: Target[];
  allTargetsMet: boolean;
}

export function describeMachine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? "unknown",
    cores: all.length,
    memoryGiB: round(totalmem() / 2 ** 30, 3),
    node: process.version,
    os: `${type()} ${release()} ${arch()}`,
  };
}

/** HEAD, marked "+dirty" when the working tree differs from it. */
export function gitCommit(cwd: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

export function functionRatios(f: Omit<FunctionFigures, "ratios">): FunctionFigures["ratios"] {
  const floored = f.coldStartMs.floor !== null && f.warm.floor !== null;
  return {
    zipVsNaive: ratio(f.zipBytes.denwa!, f.zipBytes.naive!),
    coldVsNaive: ratio(f.coldStartMs.denwa!, f.coldStartMs.naive!),
    coldVsFloor: floored ? ratio(f.coldStartMs.denwa!, f.coldStartMs.floor!) : null,
    warmVsFloor: floored ? ratio(f.warm.denwa!.p50Us, f.warm.floor!.p50Us) : null,
    mappedZip: ratio(f.zipBytes.mapped!, f.zipBytes.denwa!),
    mappedCold: ratio(f.coldStartMs.mapped!, f.coldStartMs.denwa!),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const times = (value: number) => `${value}×`;

/** Every target is a ratio to a figure of the same run, or a time a developer waits. */
export function checkTargets(r: Omit<BenchResults, "targets" | "allTargetsMet">): Target[] {
  const targets: Target[] = [];
  const add = (name: string, limit: string, actual: string, met: boolean) => targets.push({ name, limit, actual, met });
  for (const f of r.functions) {
    add(`${f.route} zip vs naive`, "≤ 1/30 (0.0333)", `${f.ratios.zipVsNaive}`, f.ratios.zipVsNaive <= 1 / 30);
    add(`${f.route} zip size`, "≤ 150 KB", kb(f.zipBytes.denwa!), f.zipBytes.denwa! <= 150 * 1024);
    add(`${f.route} cold start vs naive`, "≤ 1/5 (0.2)", `${f.ratios.coldVsNaive}`, f.ratios.coldVsNaive <= 0.2);
    if (f.ratios.coldVsFloor !== null) add(`${f.route} cold start vs floor`, "≤ 1.25×", times(f.ratios.coldVsFloor), f.ratios.coldVsFloor <= 1.25);
    if (f.ratios.warmVsFloor !== null) add(`${f.route} warm p50 vs floor`, "≤ 4×", times(f.ratios.warmVsFloor), f.ratios.warmVsFloor <= 4);
  }
  const rounds = roundRatios(r.p99Rounds);
  if (rounds.length > 0) {
    const p99 = round(median(rounds), 3);
    const { concurrency, emulator } = r.p99Rounds;
    add(
      `emulator p99 at c=${concurrency} vs fixed-reply node:http (median of ${rounds.length} rounds)`,
      "≤ 1.5×",
      `${times(p99)} (rounds ${rounds.map((x) => `${x}×`).join(", ")})`,
      p99 <= 1.5 && emulator.every((l) => l.ok === l.requests),
    );
  }
  for (const peer of r.peers.filter((p) => p.ran)) {
    for (const level of r.emulator) {
      const theirs = peer.levels.find((l) => l.concurrency === level.concurrency);
      if (!theirs) continue;
      add(`emulator faster than ${peer.name} at c=${level.concurrency}`, `> ${theirs.rps.toFixed(0)} req/s`, `${level.rps.toFixed(0)} req/s`, level.rps > theirs.rps);
    }
  }
  if (r.synth.ratio !== null) add("synth of both stages vs package root", "≤ 1/3 (0.333)", `${r.synth.ratio}`, r.synth.ratio <= 1 / 3);
  const loop = r.devLoop;
  add(`save → served (median of ${loop.saveToServedMs.length})`, "≤ 500 ms", `${ms(loop.saveMedianMs)} (max ${ms(loop.saveMaxMs)})`, loop.saveMedianMs <= 500 && loop.saveToServedMs.length >= 5);
  add(`make dev ready (median of ${loop.readyMs.length})`, "≤ 3000 ms", ms(loop.readyMedianMs), loop.readyMedianMs <= 3000);
  return targets;
}

/** Each round's emulator p99 over the ceiling's of the same round. */
function roundRatios(rounds: P99Rounds): number[] {
  return rounds.emulator.map((level, i) => ratio(level.p99Ms, rounds.ceiling[i].p99Ms));
}

const or = <T>(value: T | null, show: (v: T) => string) => (value === null ? "—" : show(value));

export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  out.push(`denwa bench, ${r.date.slice(0, 10)}${r.quick ? " (--quick: smoke run, targets not checked)" : ""}`);
  out.push(`${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.os}; commit ${r.commit.slice(0, 12)}${r.commit.endsWith("+dirty") ? "+dirty" : ""}`);
  out.push("");
  out.push(markdownTable([["target", "limit", "measured", "met"], ...r.targets.map((t) => [t.name, t.limit, t.actual, t.met ? "yes" : "NO"])]));
  out.push("");
  out.push(markdownTable([
    ["function", "zip denwa / naive / floor", "zip ratio", "cold start denwa / naive / floor", "vs naive", "vs floor", "warm p50 / p99 (denwa)", "warm p50 naive / floor", "vs floor"],
    ...r.functions.map((f) => [
      f.route,
      `${kb(f.zipBytes.denwa!)} / ${kb(f.zipBytes.naive!)} / ${or(f.zipBytes.floor, kb)}`,
      `${f.ratios.zipVsNaive}`,
      `${ms(f.coldStartMs.denwa!)} / ${ms(f.coldStartMs.naive!)} / ${or(f.coldStartMs.floor, ms)}`,
      `${f.ratios.coldVsNaive}`,
      or(f.ratios.coldVsFloor, times),
      `${f.warm.denwa!.p50Us.toFixed(1)} / ${f.warm.denwa!.p99Us.toFixed(1)} µs`,
      `${f.warm.naive!.p50Us.toFixed(1)} / ${or(f.warm.floor, (w) => w.p50Us.toFixed(1))} µs`,
      or(f.ratios.warmVsFloor, times),
    ]),
  ]));
  out.push("");
  out.push(markdownTable([
    ["source maps (debug stages)", "zip with map", "vs without", "cold start with --enable-source-maps", "vs without"],
    ...r.functions.map((f) => [f.route, kb(f.zipBytes.mapped!), times(f.ratios.mappedZip), ms(f.coldStartMs.mapped!), times(f.ratios.mappedCold)]),
  ]));
  out.push("");
  const loadRows = (name: string, levels: LoadLevel[]) =>
    levels.map((l) => [name, String(l.concurrency), `${l.requests}${l.timedOut ? " (time cap)" : ""}`, l.rps.toFixed(0), ms(l.p50Ms), ms(l.p99Ms), String(l.requests - l.ok)]);
  out.push(markdownTable([
    ["server (voice/hello)", "concurrency", "requests", "req/s", "p50", "p99", "failed"],
    ...loadRows("denwa emulator", r.emulator),
    ...loadRows("denwa emulator, functions answered at once", r.gatewayStages),
    ...r.peers.flatMap((p) => (p.ran ? loadRows(p.name, p.levels) : [[p.name, "—", `not run: ${p.reason}`, "—", "—", "—", "—"]])),
    ...loadRows("fixed-reply node:http (ceiling)", r.ceiling),
  ]));
  const pairs = r.p99Rounds.emulator.map((level, i) => `${ms(level.p99Ms)} / ${ms(r.p99Rounds.ceiling[i].p99Ms)}`);
  out.push(`  p99 rounds at c=${r.p99Rounds.concurrency}, emulator / fixed reply: ${pairs.join("; ")}`);
  out.push("  denwa emulator, functions answered at once: the same server with voice/hello's answer returned in place of running it: its HTTP and API Gateway stages alone.");
  out.push("  fixed-reply node:http (ceiling): answers the same TwiML doing no work at all, under the same load generator: what this machine allows.");
  for (const p of r.peers.filter((p) => p.ran)) out.push(`  ${p.name} (${Object.entries(p.packages).map(([n, v]) => `${n}@${v}`).join(", ")}): ${p.note}.`);
  out.push("");
  const loop = r.devLoop;
  out.push(`make dev: ready in ${loop.readyMs.map((v) => ms(v)).join(", ")}; save → served in ${loop.saveToServedMs.map((v) => ms(v)).join(", ")}`);
  const root = r.synth.packageRootMs === null ? "" : `, ${ms(r.synth.packageRootMs)} from the package root (ratio ${r.synth.ratio})`;
  out.push(`synth of ${r.synth.stages.join(" + ")}: ${ms(r.synth.deepMs)} with deep imports${root}; build of ${r.build.functions} functions: ${ms(r.build.ms)}`);
  if (!r.quick) {
    out.push("");
    const missed = r.targets.filter((t) => !t.met);
    out.push(`targets: ${r.targets.length - missed.length} of ${r.targets.length} met`);
    for (const t of missed) out.push(`  MISSED ${t.name}: ${t.actual} (target ${t.limit})`);
  }
  return out.join("\n");
}
