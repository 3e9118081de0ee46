// Order statistics for the benchmark: every figure it reports is a median or a percentile.

/** The p-th percentile (0..100) by nearest rank; samples need not be sorted. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("A percentile of no samples was asked for.");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("A median of no samples was asked for.");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to a few significant digits, so results.json holds figures and not float noise. */
export function round(value: number, digits = 3): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** denwa's figure over its comparison's: below 1 means denwa is smaller or faster. */
export function ratio(ours: number, theirs: number): number {
  return round(ours / theirs, 3);
}
