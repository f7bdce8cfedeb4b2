/**
 * A small time chart drawn as plain SVG: axes with units, threshold lines, a legend and a hover
 * read-out. For the live pages' secondary charts, where recharts' per-tick cost (measure, layout,
 * hundreds of elements) outweighs what the chart shows: here one tick is one memoised path string
 * per series. Nulls are gaps, never zeros.
 */
import { memo, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { formatClock } from '../format';
import { capPoints, pointsFor, useChartWidth } from './chart-points';
import { thresholdLabelRows } from './threshold-labels';
import { yAxis } from './y-axis';

export interface SvgSeries {
  key: string;
  name: string;
  color: string;
  kind: 'line' | 'area' | 'step';
  /** A dot per point while they stay apart (at most MAX_DOTTED_POINTS). */
  dots?: boolean;
  width?: number;
}

/** A vertical line at a moment (e.g. a counter reset). */
export interface SvgMarker {
  t: number;
  label: string;
  color: string;
}

export interface SvgThreshold {
  y: number;
  label: string;
  color: string;
}

export type SvgPoint = { t: number } & Record<string, number | null>;

interface Props {
  /** Every point in time order; capped to the chart's width here. */
  points: SvgPoint[];
  series: SvgSeries[];
  height: number;
  /** The y axis top for the largest value drawn; a threshold above it is not drawn (as recharts discards it). */
  yTop: (dataMax: number) => number;
  formatY: (v: number) => string;
  /** The axis unit, said once beside it (e.g. "MiB", "clients"). */
  unit: string;
  thresholds?: SvgThreshold[];
  markers?: SvgMarker[];
  /** What the hover read-out says about a point; a generic "series value unit" list by default. */
  readout?: (p: SvgPoint) => ReactNode;
  /** Series drawn on top of each other (each band from the sum of those before it); all of kind 'step' or 'area'. */
  stacked?: boolean;
  /** The values are counts (connections, clients): gridlines only at whole numbers. */
  wholeNumbers?: boolean;
  testId: string;
}

const M = { top: 12, right: 16, bottom: 22, left: 62 };
const X_TICKS = 5;
/** Dots only while they stay apart; hundreds of circles per redraw cost more than the line. */
const MAX_DOTTED_POINTS = 90;

/** A stacked band: the series' top edge forward, the previous sum's edge back; a null breaks the band. */
function bandFor(points: SvgPoint[], keys: string[], index: number, step: boolean, x: (t: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  let run: { px: number; lo: number; hi: number }[] = [];
  const edge = (pts: [number, number][]) => pts.map(([px, py], i) => (i === 0 ? `${px.toFixed(1)},${py.toFixed(1)}` : step ? `H${px.toFixed(1)}V${py.toFixed(1)}` : `L${px.toFixed(1)},${py.toFixed(1)}`)).join('');
  const flush = () => {
    if (!run.length) return;
    const top = run.map((r) => [r.px, r.hi] as [number, number]);
    const base = [...run].reverse().map((r) => [r.px, r.lo] as [number, number]);
    // Going back along the base, a step edge turns the other way: vertical first, then horizontal.
    const back = base.map(([px, py], i) => (i === 0 ? `L${px.toFixed(1)},${py.toFixed(1)}` : step ? `V${py.toFixed(1)}H${px.toFixed(1)}` : `L${px.toFixed(1)},${py.toFixed(1)}`)).join('');
    parts.push(`M${edge(top)}${back}Z`);
    run = [];
  };
  for (const p of points) {
    const own = p[keys[index]!];
    if (own === null || own === undefined) {
      flush();
      continue;
    }
    let lo = 0;
    for (let k = 0; k < index; k++) lo += p[keys[k]!] ?? 0;
    run.push({ px: x(p.t), lo: y(lo), hi: y(lo + own) });
  }
  flush();
  return parts.join('');
}

/** One path for a series: a move at each gap so a null breaks the line. */
function pathFor(points: SvgPoint[], key: string, kind: SvgSeries['kind'], x: (t: number) => number, y: (v: number) => number, baseline: number): string {
  const parts: string[] = [];
  let run: [number, number][] = [];
  const flush = () => {
    if (!run.length) return;
    let d = `M${run[0]![0].toFixed(1)},${run[0]![1].toFixed(1)}`;
    for (let i = 1; i < run.length; i++) {
      const [px, py] = run[i]!;
      d += kind === 'step' ? `H${px.toFixed(1)}V${py.toFixed(1)}` : `L${px.toFixed(1)},${py.toFixed(1)}`;
    }
    if (kind === 'area') d += `L${run.at(-1)![0].toFixed(1)},${baseline.toFixed(1)}L${run[0]![0].toFixed(1)},${baseline.toFixed(1)}Z`;
    parts.push(d);
    run = [];
  };
  for (const p of points) {
    const v = p[key];
    if (v === null || v === undefined) flush();
    else run.push([x(p.t), y(v)]);
  }
  flush();
  return parts.join('');
}

export const SvgChart = memo(function SvgChart(props: Props) {
  const [ref, width] = useChartWidth();
  const [hover, setHover] = useState<number | null>(null);
  const { series, height } = props;
  // At most ~2 points per pixel (min/max buckets keep spikes), as every chart here.
  const points = useMemo(() => capPoints(props.points, pointsFor(width), series.map((s) => s.key)), [props.points, width, series]);
  const plotW = Math.max(10, width - M.left - M.right);
  const plotH = Math.max(10, height - M.top - M.bottom);
  const geometry = useMemo(() => {
    const t0 = points[0]?.t ?? 0;
    const t1 = points.at(-1)?.t ?? t0 + 1;
    const span = Math.max(1, t1 - t0);
    let dataMax = 0;
    for (const p of points) {
      if (props.stacked) dataMax = Math.max(dataMax, series.reduce((sum, s) => sum + (p[s.key] ?? 0), 0));
      else for (const s of series) dataMax = Math.max(dataMax, p[s.key] ?? 0);
    }
    // The axis ends on a labelled gridline: the asked-for top rounded up to a round step.
    const { top, ticks: yTicks } = yAxis(props.yTop(dataMax), props.wholeNumbers);
    const x = (t: number) => M.left + ((t - t0) / span) * plotW;
    const y = (v: number) => M.top + plotH - (Math.min(v, top) / top) * plotH;
    const keys = series.map((s) => s.key);
    const paths = series.map((s, i) => ({
      s,
      d: props.stacked ? bandFor(points, keys, i, s.kind === 'step', x, y) : pathFor(points, s.key, s.kind, x, y, M.top + plotH),
      dots: s.dots && points.length <= MAX_DOTTED_POINTS ? points.filter((p) => p[s.key] != null).map((p) => [x(p.t), y(p[s.key]!)] as const) : [],
    }));
    const xTicks = points.length > 1 ? Array.from({ length: X_TICKS }, (_, i) => t0 + (span * i) / (X_TICKS - 1)) : [];
    return { t0, span, top, x, y, paths, xTicks, yTicks };
  }, [points, series, props.thresholds, props.yTop, props.stacked, props.wholeNumbers, plotW, plotH]);

  const onMove = (e: MouseEvent<SVGRectElement>) => {
    if (points.length < 2) return;
    const box = e.currentTarget.getBoundingClientRect();
    const t = geometry.t0 + ((e.clientX - box.left) / box.width) * geometry.span;
    let best = 0;
    for (let i = 1; i < points.length; i++) if (Math.abs(points[i]!.t - t) < Math.abs(points[best]!.t - t)) best = i;
    setHover(best);
  };
  const hovered = hover !== null ? points[hover] : undefined;

  return (
    <div className="chart svg-chart" data-testid={props.testId} ref={ref}>
      <svg width={width} height={height} role="img" aria-label={`${series.map((s) => s.name).join(', ')} over time, in ${props.unit}`}>
        {geometry.yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={M.left + plotW} y1={geometry.y(v)} y2={geometry.y(v)} className="svg-chart-grid" />
            <text x={M.left - 6} y={geometry.y(v) + 4} textAnchor="end" className="svg-chart-tick">
              {props.formatY(v)}
            </text>
          </g>
        ))}
        <text x={12} y={M.top + plotH / 2} transform={`rotate(-90 12 ${M.top + plotH / 2})`} textAnchor="middle" className="svg-chart-tick">
          {props.unit}
        </text>
        {geometry.xTicks.map((t, i) => (
          <text key={`x${i}`} x={geometry.x(t)} y={height - 6} textAnchor={i === 0 ? 'start' : i === X_TICKS - 1 ? 'end' : 'middle'} className="svg-chart-tick">
            {formatClock(new Date(t).toISOString())}
          </text>
        ))}
        {geometry.paths.map(({ s, d, dots }) => (
          <g key={s.key}>
            <path d={d} data-series={s.key} className={`svg-chart-series svg-chart-${props.stacked ? 'band' : s.kind}`} stroke={s.color} strokeWidth={s.width ?? (props.stacked ? 1 : 2)} fill={s.kind === 'area' || props.stacked ? s.color : 'none'} />
            {dots.map(([cx, cy], i) => (
              <circle key={i} cx={cx} cy={cy} r={2} fill={s.color} className="svg-chart-dot" />
            ))}
          </g>
        ))}
        {(props.markers ?? []).map((m) => (
          <g key={`m${m.t}`} className="svg-chart-marker">
            <line x1={geometry.x(m.t)} x2={geometry.x(m.t)} y1={M.top} y2={M.top + plotH} stroke={m.color} strokeDasharray="2 2" />
            <text x={geometry.x(m.t) + 3} y={M.top + 10} fill={m.color} className="svg-chart-tick">
              {m.label}
            </text>
          </g>
        ))}
        {thresholdLabelRows((props.thresholds ?? []).filter((th) => th.y <= geometry.top), geometry.y).map((row) => (
          <g key={row.lines.map((th) => th.label).join('|')} className="svg-chart-threshold">
            {row.lines.map((th) => (
              <line key={th.label} x1={M.left} x2={M.left + plotW} y1={geometry.y(th.y)} y2={geometry.y(th.y)} stroke={th.color} strokeDasharray="6 3" />
            ))}
            <text x={M.left + plotW - 4} y={row.py - 4} textAnchor="end" className="svg-chart-tick">
              {row.lines.map((th, i) => (
                <tspan key={th.label} fill={th.color}>
                  {i > 0 ? ' · ' : ''}
                  {th.label}
                </tspan>
              ))}
            </text>
          </g>
        ))}
        {hovered ? <line x1={geometry.x(hovered.t)} x2={geometry.x(hovered.t)} y1={M.top} y2={M.top + plotH} className="svg-chart-cursor" /> : null}
        <rect x={M.left} y={M.top} width={plotW} height={plotH} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
      </svg>
      <div className="svg-chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} /> {s.name}
          </span>
        ))}
        {hovered ? (
          <span className="svg-chart-readout" data-testid={`${props.testId}-readout`}>
            {props.readout
              ? props.readout(hovered)
              : `${formatClock(new Date(hovered.t).toISOString())}: ${series.map((s) => `${s.name} ${hovered[s.key] == null ? '—' : `${props.formatY(hovered[s.key]!)} ${props.unit}`}`).join(' · ')}`}
          </span>
        ) : null}
      </div>
    </div>
  );
});
