import { cpus, loadavg } from 'node:os';
import { percentile } from '../shared/percentile';

/** shared/percentile.ts, NaN for no values (a figure line prints it rather than failing). */
export function percentileOf(values: number[], p: number): number {
  return percentile(values, p) ?? NaN;
}

/** A fixed-width figure line for benchmark output. */
export function summary(values: number[], unit: string, digits = 3): string {
  return `p50 ${percentileOf(values, 50).toFixed(digits)} ${unit}  p95 ${percentileOf(values, 95).toFixed(digits)} ${unit}  max ${Math.max(...values).toFixed(digits)} ${unit}  (n=${values.length})`;
}

export function machineLoad(): string {
  return `load average (1/5/15 min) ${loadavg().map((n) => n.toFixed(2)).join(" ")} on ${cpus().length} cores`;
}
