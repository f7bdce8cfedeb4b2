import { cpus, loadavg } from 'node:os';

/** Percentiles and a fixed-width figure line for benchmark output. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summary(values: number[], unit: string, digits = 3): string {
  return `p50 ${percentile(values, 50).toFixed(digits)} ${unit}  p95 ${percentile(values, 95).toFixed(digits)} ${unit}  max ${Math.max(...values).toFixed(digits)} ${unit}  (n=${values.length})`;
}

export function machineLoad(): string {
  return `load average (1/5/15 min) ${loadavg().map((n) => n.toFixed(2)).join(" ")} on ${cpus().length} cores`;
}
