// Runs a fast-check property a bounded number of times, within a time limit when given one (make
// reliability; tests leave it out so a busy machine runs the same cases, only slower), from a seed that
// replays it, and reports as the suites count: tried, failed, skipped, the counterexample.
import fc from "fast-check";

/** The seed of every random suite unless DENWA_SEED names another (a failure prints its seed). */
export const DEFAULT_SEED = 20250607;

export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.DENWA_SEED;
  if (value === undefined || value === "") return DEFAULT_SEED;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`DENWA_SEED must be a whole number, not ${JSON.stringify(value)}.`);
  return seed;
}

export interface PropertyRun {
  tried: number;
  failed: number;
  /** Cases the property itself set aside (fc.pre). */
  skipped: number;
  failure?: string;
}

export interface PropertyLimits {
  numRuns: number;
  seed: number;
  timeLimitMs?: number;
}

export async function checkProperty<T>(property: fc.IAsyncProperty<T>, { numRuns, seed, timeLimitMs }: PropertyLimits): Promise<PropertyRun> {
  const details = await fc.check(property, { numRuns, seed, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: true, maxSkipsPerRun: 100 });
  return {
    tried: details.numRuns,
    failed: details.failed ? 1 : 0,
    skipped: details.numSkips,
    failure: details.failed ? `${String(details.errorInstance)}\n${fc.defaultReportMessage(details)}\nReplay with DENWA_SEED=${seed}.` : undefined,
  };
}
