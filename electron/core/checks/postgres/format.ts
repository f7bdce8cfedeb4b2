/** How the Postgres checks write numbers: ratios as percentages, durations in seconds. */
export const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
export const sec = (s: number) => `${s.toFixed(1)} s`;
