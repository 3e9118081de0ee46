// What each suite hands the runner: cases tried, passed, failed, the seed that replays them, the
// figures it measured and the first failures, and the one table `make reliability` prints.
import { markdownTable } from "../../scripts/table";

export interface SuiteResult {
  suite: string;
  tried: number;
  passed: number;
  failed: number;
  /** The fast-check seed, or undefined for a suite without random cases. */
  seed?: number;
  /** Figures worth printing under the table (latency, memory, discarded cases). */
  figures: string[];
  failures: string[];
}

/** A named check a suite can run under the runner (counted) or under uvu (one test each). */
export interface Case<C> {
  name: string;
  run(context: C): Promise<void>;
}

/** Runs cases one after another and counts them; a failure is kept with its case name. */
export class Tally {
  private readonly result: SuiteResult;

  constructor(suite: string, seed?: number) {
    this.result = { suite, tried: 0, passed: 0, failed: 0, seed, figures: [], failures: [] };
  }

  async check(name: string, run: () => Promise<void>): Promise<void> {
    this.result.tried++;
    try {
      await run();
      this.result.passed++;
    } catch (error) {
      this.fail(name, error);
    }
  }

  async cases<C>(cases: Case<C>[], context: C): Promise<void> {
    for (const one of cases) await this.check(one.name, () => one.run(context));
  }

  /** Counts a batch judged elsewhere (a fast-check run, a load run). */
  add(tried: number, failed: number, failure?: string): void {
    this.result.tried += tried;
    this.result.passed += tried - failed;
    this.result.failed += failed;
    if (failure) this.result.failures.push(failure);
  }

  figure(text: string): void {
    this.result.figures.push(text);
  }

  fail(name: string, error: unknown): void {
    this.result.failed++;
    this.result.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }

  done(): SuiteResult {
    return this.result;
  }
}

export function formatTable(results: SuiteResult[]): string {
  const rows = [
    ["suite", "cases tried", "passed", "failed", "seed"],
    ...results.map((r) => [r.suite, String(r.tried), String(r.passed), String(r.failed), r.seed === undefined ? "-" : String(r.seed)]),
  ];
  return markdownTable(rows, [1, 2, 3, 4]);
}
