/**
 * A small self-contained SVG line chart for reports: min/max-decimated points (gaps break the
 * line), a dashed threshold line, shaded alert spans and a vertical line per marker, with
 * labelled axes (value with its unit, time in UTC).
 */
import { linePath } from '../../../shared/line-path';
import type { Point } from '../watch/decimate';

export interface ChartSpec {
  title: string;
  unit: string;
  from: number;
  to: number;
  points: Point[];
  threshold?: number | null;
  spans?: { from: number; to: number }[];
  markers?: { at: number; label: string }[];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

export function svgChart(c: ChartSpec): string {
  const W = c.width ?? 720;
  const H = c.height ?? 160;
  const L = 56;
  const R = 10;
  const T = 22;
  const B = 24;
  const vals = c.points.filter((p) => p.v !== null).map((p) => p.v!);
  if (c.threshold !== undefined && c.threshold !== null) vals.push(c.threshold);
  let lo = vals.length ? Math.min(...vals) : 0;
  let hi = vals.length ? Math.max(...vals) : 1;
  lo = Math.min(lo, 0);
  if (hi === lo) hi += 1;
  const x = (t: number) => L + ((t - c.from) / Math.max(1, c.to - c.from)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const d = linePath(c.points.map((p) => [p.t, p.v] as const), x, y);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}">`);
  parts.push(`<text x="${L}" y="14" font-size="12" font-weight="600">${esc(c.title)} (${esc(c.unit)})</text>`);
  for (const s of c.spans ?? []) parts.push(`<rect x="${x(s.from).toFixed(1)}" y="${T}" width="${Math.max(1, x(s.to) - x(s.from)).toFixed(1)}" height="${H - T - B}" fill="#f8d7da"/>`);
  parts.push(`<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#999"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#999"/>`);
  parts.push(`<text x="${L - 4}" y="${T + 4}" font-size="10" text-anchor="end">${num(hi)}</text><text x="${L - 4}" y="${H - B}" font-size="10" text-anchor="end">${num(lo)}</text>`);
  for (const t of [c.from, (c.from + c.to) / 2, c.to]) parts.push(`<text x="${x(t).toFixed(1)}" y="${H - 8}" font-size="10" text-anchor="middle">${new Date(t).toISOString().slice(11, 16)} UTC</text>`);
  if (c.threshold !== undefined && c.threshold !== null) parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(c.threshold).toFixed(1)}" y2="${y(c.threshold).toFixed(1)}" stroke="#c0392b" stroke-dasharray="4 3"><title>threshold ${num(c.threshold)} ${esc(c.unit)}</title></line>`);
  for (const m of c.markers ?? []) parts.push(`<line x1="${x(m.at).toFixed(1)}" x2="${x(m.at).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#2c7be5" stroke-width="2"><title>${esc(m.label)}</title></line>`);
  if (d) parts.push(`<path d="${d}" fill="none" stroke="#333" stroke-width="1.2"/>`);
  else parts.push(`<text x="${W / 2}" y="${H / 2}" font-size="11" text-anchor="middle">no samples</text>`);
  parts.push('</svg>');
  return parts.join('');
}
