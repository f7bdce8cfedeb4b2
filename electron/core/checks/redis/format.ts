/** How the Redis checks write numbers: ratios as percentages, windows in s or min, bytes in MiB (binary, as the Redis page's tiles and charts). */
export const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
export const secs = (v: number) => (v >= 120 ? `${(v / 60).toFixed(1)} min` : `${v.toFixed(1)} s`);
export const mib = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MiB`;
