// Runs the load generator (load-generator.cjs, a separate process) against one webhook URL at
// each concurrency level: the same signed POST of voice/hello's sample parameters every time.
import { join } from "node:path";
import { signatureHeaders } from "../../local/simulator/sign";
import { encodeForm } from "../../runtime/params";
import { runNodeChild } from "./child";
import { BENCH_TOKEN, sampleParams } from "./events";
import type { Progress } from "./progress";

const GENERATOR = join(__dirname, "load-generator.cjs");
export interface LoadPlan {
  levels: number[];
  requests: number;
  /** Per level for the measured requests; the warm-up has a third of it more. */
  timeCapMs: number;
  /** What every answer must hold, or it counts as wrong: voice/hello's greeting. */
  greeting: string;
}

/** The text of the first <Say> in a TwiML answer. */
export function greetingOf(twiml: string): string {
  const said = /<Say[^>]*>([^<]+)<\/Say>/.exec(twiml);
  if (!said) throw new Error(`voice/hello's answer has no <Say>: ${twiml.slice(0, 200)}`);
  return said[1];
}

export interface LoadLevel {
  concurrency: number;
  requests: number;
  ok: number;
  non200: number;
  wrongBody: number;
  errors: number;
  timedOut: boolean;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  firstProblem?: string;
}

/** Loads `url` (where Twilio would POST voice/hello) level by level; `signedUrl` is what the server sees. */
export async function runLoad(name: string, url: string, plan: LoadPlan, progress: Progress, signedUrl = url): Promise<LoadLevel[]> {
  const params = sampleParams("voice/hello");
  const levels: LoadLevel[] = [];
  for (const concurrency of plan.levels) {
    const spec = {
      url,
      concurrency,
      requests: plan.requests,
      warmup: Math.min(plan.requests, concurrency * 4),
      timeCapMs: plan.timeCapMs,
      expect: plan.greeting,
      body: encodeForm(params),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...signatureHeaders(BENCH_TOKEN, "POST", signedUrl, params as Record<string, string>),
      },
    };
    const level = await runNodeChild<Omit<LoadLevel, "concurrency">>(GENERATOR, [JSON.stringify(spec)], {
      env: { PATH: process.env.PATH },
      timeoutMs: (plan.timeCapMs * 4) / 3 + 30_000,
      label: `load generator for ${name} at concurrency ${concurrency}`,
    });
    levels.push({ concurrency, ...level });
    progress(`  ${name} c=${concurrency}: ${level.rps.toFixed(0)} req/s, p50 ${level.p50Ms.toFixed(2)} ms, p99 ${level.p99Ms.toFixed(2)} ms` +
      (level.ok < level.requests ? `, ${level.requests - level.ok} failed (${level.firstProblem})` : ""));
  }
  return levels;
}
