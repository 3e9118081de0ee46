// Cold start: a fresh node per sample loads an unpacked bundle and serves its first signed
// request, the token fetched from SSM; the child times it, so Node's own start-up is left out.
// Variants take turns within each round, so a drift in the machine's load hits them alike.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SsmStandIn } from "../../local/ssm-stand-in";
import { runNodeChild } from "./child";
import { signedEvent } from "./events";
import type { Progress } from "./progress";
import { median } from "./stats";
import { lambdaEnv } from "./token-store";
import { variantEnv, type BuiltVariant } from "./variants";

export const LAMBDA_CHILD = join(__dirname, "lambda-child.cjs");

export interface ChildAnswer {
  coldMs: number;
  statusCode: number;
  contentType: string;
  body: string;
}

/** Writes each route's signed sample event where the children read it; returns the file per route. */
export function writeEvents(workDir: string, variants: BuiltVariant[]): Map<string, string> {
  const files = new Map<string, string>();
  mkdirSync(join(workDir, "events"), { recursive: true });
  for (const { route, slug } of variants) {
    if (files.has(route)) continue;
    const file = join(workDir, "events", `${slug}.json`);
    writeFileSync(file, JSON.stringify(signedEvent(route)));
    files.set(route, file);
  }
  return files;
}

/** Every variant must answer the sample request as denwa does, or the comparison is void. */
export function checkSameAnswer(variant: BuiltVariant, answer: ChildAnswer, reference: ChildAnswer | undefined): void {
  if (answer.statusCode !== 200) {
    throw new Error(`The ${variant.variant} build of ${variant.route} answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
  }
  if (reference && answer.body !== reference.body) {
    throw new Error(`The ${variant.variant} build of ${variant.route} answers differently from denwa's:\n  ${answer.body}\n  ${reference.body}`);
  }
}

export interface ColdStart {
  variant: BuiltVariant;
  samplesMs: number[];
  medianMs: number;
  /** Its answer to the first request (checked equal across variants). */
  firstAnswer: ChildAnswer;
}

export async function measureColdStarts(variants: BuiltVariant[], ssm: SsmStandIn, events: Map<string, string>, rounds: number, progress: Progress): Promise<ColdStart[]> {
  const samples = new Map<BuiltVariant, number[]>(variants.map((v) => [v, []]));
  const reference = new Map<string, ChildAnswer>();
  const first = new Map<BuiltVariant, ChildAnswer>();
  // denwa first in round one, so every other variant is checked against its answer.
  const ordered = [...variants].sort((a, b) => Number(b.variant === "denwa") - Number(a.variant === "denwa"));
  for (let round = 0; round < rounds; round++) {
    for (const variant of ordered) {
      const answer = await runNodeChild<ChildAnswer>(LAMBDA_CHILD, ["cold", join(variant.dir, "index.js"), events.get(variant.route)!], {
        env: { ...lambdaEnv(ssm, variant.route), ...variantEnv(variant.variant) },
        cwd: variant.dir,
        timeoutMs: 30_000,
        label: `cold start of ${variant.variant} ${variant.slug}`,
      });
      if (round === 0) {
        checkSameAnswer(variant, answer, reference.get(variant.route));
        if (variant.variant === "denwa") reference.set(variant.route, answer);
        first.set(variant, answer);
      }
      samples.get(variant)!.push(answer.coldMs);
    }
    progress(`  cold start round ${round + 1}/${rounds} done`);
  }
  return variants.map((variant) => ({ variant, samplesMs: samples.get(variant)!, medianMs: median(samples.get(variant)!), firstAnswer: first.get(variant)! }));
}
