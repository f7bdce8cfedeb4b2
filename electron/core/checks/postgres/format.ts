/** How the Postgres checks write numbers: ratios as percentages, durations in the shared format. */
import { formatSeconds } from '../../../../shared/format';

export const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
export const sec = (s: number) => formatSeconds(s);
