/**
 * The one percentile of the project (report p95, the Endpoints page's p50/p95, benchmarks):
 * nearest rank — the smallest value with at least p % of the values at or below it, always
 * one of the values given (never interpolated). Null when there are none.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`a percentile is between 0 and 100, not ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
