import { memo, useCallback, useMemo } from 'react';
import type { PgTick } from '../../../../shared/schemas/postgres';
import { SvgChart, type SvgPoint, type SvgSeries, type SvgThreshold } from '../../components/SvgChart';

const STATES = [
  { key: 'active', label: 'active', color: '#4f9cf9' },
  { key: 'idle in transaction', label: 'idle in transaction', color: '#f5a524' },
  { key: 'idle in transaction (aborted)', label: 'idle in tx (aborted)', color: '#e5484d' },
  { key: 'idle', label: 'idle', color: '#5b6b82' },
  { key: 'other', label: 'other', color: '#9b7bd4' },
] as const;
const KNOWN = new Set<string>(STATES.map((s) => s.key));

type Point = { t: number } & Partial<Record<(typeof STATES)[number]['key'], number | null>>;

function toPoints(ticks: PgTick[]): Point[] {
  return ticks
    .filter((t) => t.status !== 'skipped')
    .map((tick) => {
      const t = Date.parse(tick.at);
      // A down tick is a gap in the chart, not a drop to zero.
      if (!tick.sample) return { t, active: null, idle: null, 'idle in transaction': null, 'idle in transaction (aborted)': null, other: null };
      const by = tick.sample.byState;
      const other = Object.entries(by).reduce((sum, [k, v]) => (KNOWN.has(k) ? sum : sum + v), 0);
      return {
        t,
        active: by.active ?? 0,
        idle: by.idle ?? 0,
        'idle in transaction': by['idle in transaction'] ?? 0,
        'idle in transaction (aborted)': by['idle in transaction (aborted)'] ?? 0,
        other,
      };
    });
}

const SERIES: SvgSeries[] = STATES.map((s) => ({ key: s.key, name: s.label, color: s.color, kind: 'step' }));
const formatCount = (v: number) => String(Math.round(v));

/** Plain SVG (SvgChart), stacked by state: one band path per state per tick. */
export const ConnectionsChart = memo(function ConnectionsChart(props: { ticks: PgTick[]; budget: number | null; planLimit: number | null; maxConnections: number | null }) {
  const points = useMemo(() => toPoints(props.ticks) as SvgPoint[], [props.ticks]);
  const { budget, planLimit, maxConnections } = props;
  const thresholds = useMemo<SvgThreshold[]>(
    () => [
      ...(budget ? [{ y: budget, label: `budget ${budget}`, color: '#f5a524' }] : []),
      ...(planLimit ? [{ y: planLimit, label: `plan limit ${planLimit}`, color: '#9b7bd4' }] : []),
      ...(maxConnections ? [{ y: maxConnections, label: `max_connections ${maxConnections}`, color: '#e5484d' }] : []),
    ],
    [budget, planLimit, maxConnections],
  );
  // The axis reaches the budget or the data, not max_connections (which would flatten the bands): a line above the top is not drawn.
  const yTop = useCallback((dataMax: number) => Math.max(dataMax, budget ?? 0, 1), [budget]);
  return <SvgChart points={points} series={SERIES} stacked height={280} yTop={yTop} formatY={formatCount} wholeNumbers unit="connections" thresholds={thresholds} testId="connections-chart" />;
});
