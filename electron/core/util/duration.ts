/**
 * One reading of a duration for every place a person writes one (CLI flags, migration
 * directives): a number with a unit — ms, s, m or min, h, d — as in 500ms, 5s, 15m, 2min, 24h.
 * A bare number is refused unless the caller names its unit (the CLI reads it as seconds;
 * a migration directive never guesses, because Postgres reads a bare timeout as milliseconds).
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

export const DURATION_EXAMPLES = '500ms, 5s, 15m, 2min, 24h';

/** Milliseconds, or null when `raw` is no duration. */
export function parseDurationMs(raw: string, bareUnit: Unit | null = null): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?$/.exec(raw.trim());
  if (!m) return null;
  const unit = (m[2] as Unit | undefined) ?? bareUnit;
  if (!unit) return null;
  return Math.round(Number(m[1]) * UNIT_MS[unit]);
}

/** 100 → "100ms", 90_000 → "90s", 3_600_000 → "1h": the shortest exact spelling. */
export function formatDurationMs(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
