// Warm latency: one process per variant serves COUNT signed requests after its first, each timed
// around the handler call (event parsing, signature check, TwiML rendering, log line).
import { join } from "node:path";
import type { SsmStandIn } from "../../local/ssm-stand-in";
import { runNodeChild } from "./child";
import { LAMBDA_CHILD } from "./cold-start";
import type { Progress } from "./progress";
import { lambdaEnv } from "./token-store";
import { variantEnv, type BuiltVariant } from "./variants";

export interface WarmLatency {
  variant: BuiltVariant;
  invocations: number;
  p50Us: number;
  p99Us: number;
}

export async function measureWarm(variants: BuiltVariant[], ssm: SsmStandIn, events: Map<string, string>, invocations: number, progress: Progress): Promise<WarmLatency[]> {
  const results: WarmLatency[] = [];
  for (const variant of variants) {
    const answer = await runNodeChild<{ p50Us: number; p99Us: number }>(
      LAMBDA_CHILD,
      ["warm", join(variant.dir, "index.js"), events.get(variant.route)!, String(invocations)],
      { env: { ...lambdaEnv(ssm, variant.route), ...variantEnv(variant.variant) }, cwd: variant.dir, timeoutMs: 120_000, label: `warm run of ${variant.variant} ${variant.slug}` },
    );
    results.push({ variant, invocations, p50Us: answer.p50Us, p99Us: answer.p99Us });
    progress(`  warm ${variant.variant} ${variant.slug}: p50 ${answer.p50Us.toFixed(1)} µs`);
  }
  return results;
}
