import { memo, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { SvgChart, type SvgSeries } from '../../components/SvgChart';

const SERIES: SvgSeries[] = [
  { key: 'connected', name: 'connected', color: '#4f9cf9', kind: 'step' },
  { key: 'blocked', name: 'blocked', color: '#f5a524', kind: 'step' },
];
const yTop = (m: number) => Math.max(4, Math.ceil((m * 1.1) / 4) * 4);
const formatCount = (v: number) => String(Math.round(v));

/** Plain SVG (SvgChart): redrawn once per tick as two path strings. */
export const ClientsChart = memo(function ClientsChart(props: { ticks: RedisTick[] }) {
  const points = useMemo(
    () =>
        props.ticks.filter((t) => t.status !== 'skipped').map((t) => ({ t: Date.parse(t.at), connected: t.sample?.connectedClients ?? null, blocked: t.sample?.blockedClients ?? null })),
    [props.ticks],
  );
  return <SvgChart points={points} series={SERIES} height={220} yTop={yTop} formatY={formatCount} wholeNumbers unit="clients" testId="clients-chart" />;
});
