import { memo, useCallback, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { SvgChart, type SvgSeries, type SvgThreshold } from '../../components/SvgChart';

const MIB = 1024 * 1024;
const SERIES: SvgSeries[] = [
  { key: 'used', name: 'used_memory', color: '#4f9cf9', kind: 'area' },
  { key: 'rss', name: 'RSS', color: '#9b7bd4', kind: 'line' },
];
const formatMiB = (v: number) => v.toFixed(1);

/** Plain SVG (SvgChart): redrawn once per tick as two path strings. */
export const MemoryChart = memo(function MemoryChart(props: { ticks: RedisTick[]; maxMemoryBytes: number | null; limit: number }) {
  const points = useMemo(
    () =>
        props.ticks
          .filter((t) => t.status !== 'skipped')
          .map((t) => ({
            t: Date.parse(t.at),
            used: t.sample?.usedMemoryBytes != null ? t.sample.usedMemoryBytes / MIB : null,
            rss: t.sample?.usedMemoryRssBytes != null ? t.sample.usedMemoryRssBytes / MIB : null,
          })),
    [props.ticks],
  );
  const max = props.maxMemoryBytes ? props.maxMemoryBytes / MIB : null;
  const thresholds = useMemo<SvgThreshold[]>(
    () => (max ? [{ y: max, label: `maxmemory ${max.toFixed(0)} MiB`, color: '#e5484d' }, { y: max * props.limit, label: `${(props.limit * 100).toFixed(0)} % limit`, color: '#f5a524' }] : []),
    [max, props.limit],
  );
  const yTop = useCallback((m: number) => Math.max(m, max ?? 0) * 1.05 || 1, [max]);
  return <SvgChart points={points} series={SERIES} height={220} yTop={yTop} formatY={formatMiB} unit="MiB" thresholds={thresholds} testId="memory-chart" />;
});
