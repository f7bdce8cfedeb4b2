/**
 * The launch watch's costs, measured side by side in one run:
 *  1. store ingest, rows/s: one transaction per tick (what the watch does) beside row-by-row
 *     autocommit, 10 series per tick;
 *  2. process RSS after a simulated 24 h session at 5 s (17,280 ticks × 10 series written
 *     through the alert evaluator and the store, then the report summary and a 24 h chart query);
 *  3. render time in Chromium of the Launch page's 10 charts over 24 h at 5 s (its own
 *     LaunchChart component, React production build): the min/max-decimated points the page
 *     draws (800 px wide) beside the undecimated series through the same component.
 *
 *   node bin/run-ts.mjs bench/watch.ts [--autocommit-ticks 1000] [--render-only]
 *
 * Budgets (DESIGN.md §5): RSS < 300 MB after 24 h; 24 h × 10 series drawn < 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { parseProfile } from '../electron/core/profile/load';
import { summarizeWatch } from '../electron/core/report/watch-summary';
import { WatchStore, type SamplePoint } from '../electron/core/store/watch-store';
import { AlertEvaluator } from '../electron/core/watch/alert-evaluator';
import { resolveAlertRules } from '../electron/core/watch/alert-rules';
import { decimateMinMax } from '../electron/core/watch/decimate';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} expects a positive whole number`);
  return n;
}

const SERIES = ['pg.connections', 'pg.utilization', 'pg.idle_in_transaction_max_seconds', 'pg.lock_wait_max_seconds', 'redis.hit_rate', 'redis.evictions_per_minute', 'http.ready_up', 'http.health_latency_ms', 'http.5xx_per_hour', 'sentry.errors_per_hour'];
const DAY_TICKS = 17_280;
const STEP = 5000;
const AUTOCOMMIT_TICKS = arg('autocommit-ticks', 1000);
/** --render-only: just the Chromium render of the Launch page's charts. */
const RENDER_ONLY = process.argv.includes('--render-only');
const PROFILE = parseProfile(
  `version: 1
name: bench
environments: [{ name: prod, kind: production }]
alerts:
  - { id: pool, title: Pool, metric: pg.utilization, severity: critical }
  - { id: hit, title: Hit, metric: redis.hit_rate, forSeconds: 600, severity: medium }
  - { id: 5xx, title: 5xx, metric: http.5xx_per_hour, op: '>', value: 0, severity: high }
  - { id: sentry, title: Sentry, metric: sentry.errors_per_hour, op: '>', value: 5, severity: high }
`,
  'bench.yaml',
);

function valuesAt(i: number): Record<string, number> {
  const wave = Math.sin(i / 500);
  return {
    'pg.connections': 20 + Math.round(10 * wave),
    'pg.utilization': 0.05 + 0.02 * wave,
    'pg.idle_in_transaction_max_seconds': i % 997 === 0 ? 12 : 0,
    'pg.lock_wait_max_seconds': 0,
    'redis.hit_rate': 0.9 + 0.05 * wave,
    'redis.evictions_per_minute': 0,
    'http.ready_up': 1,
    'http.health_latency_ms': 8 + (i % 13) + (i === 9000 ? 900 : 0),
    'http.5xx_per_hour': i > 12_000 && i < 12_100 ? 3 : 0,
    'sentry.errors_per_hour': i > 12_000 && i < 12_100 ? 12 : 1,
  };
}

const tick = (i: number, start: number): SamplePoint[] => Object.entries(valuesAt(i)).map(([series, v]) => ({ series, unit: '', t: start + i * STEP, v }));

function ingest(dir: string): { perTick: number; autocommit: number } {
  const store = new WatchStore(join(dir, 'ingest.sqlite'));
  const start = Date.now() - DAY_TICKS * STEP;
  const a = store.createSession({ profile: 'bench', environment: 'prod', profileFile: 'x', startedAt: start, plannedEnd: start + 86_400_000, options: {} });
  const b = store.createSession({ profile: 'bench', environment: 'prod', profileFile: 'x', startedAt: start, plannedEnd: start + 86_400_000, options: {} });
  // Interleaved in blocks so machine load hits both alike.
  let txMs = 0;
  let txRows = 0;
  let acMs = 0;
  let acRows = 0;
  for (let block = 0; block < 10; block++) {
    let t0 = performance.now();
    for (let i = block * (AUTOCOMMIT_TICKS * 2); i < (block + 1) * (AUTOCOMMIT_TICKS * 2); i++) store.writeTick(a.id, { at: start + i * STEP, samples: tick(i, start) });
    txMs += performance.now() - t0;
    txRows += AUTOCOMMIT_TICKS * 2 * SERIES.length;
    t0 = performance.now();
    for (let i = block * (AUTOCOMMIT_TICKS / 10); i < (block + 1) * (AUTOCOMMIT_TICKS / 10); i++) store.writeTickRows(b.id, { at: start + i * STEP, samples: tick(i, start) });
    acMs += performance.now() - t0;
    acRows += (AUTOCOMMIT_TICKS / 10) * SERIES.length;
  }
  store.close();
  return { perTick: txRows / (txMs / 1000), autocommit: acRows / (acMs / 1000) };
}

function simulatedDay(dir: string): { rssMb: number; heapMb: number; writeSeconds: number; reportMs: number; chartMs: number; points: number } {
  const store = new WatchStore(join(dir, 'day.sqlite'));
  const start = Date.now() - DAY_TICKS * STEP;
  const session = store.createSession({ profile: 'bench', environment: 'prod', profileFile: 'x', startedAt: start, plannedEnd: start + 86_400_000, options: {} });
  const evaluator = new AlertEvaluator(resolveAlertRules(PROFILE).rules);
  const t0 = performance.now();
  for (let i = 0; i < DAY_TICKS; i++) {
    const at = start + i * STEP;
    const values = valuesAt(i);
    store.writeTick(session.id, { at, samples: tick(i, start), alerts: evaluator.observe(values, at) });
  }
  const writeSeconds = (performance.now() - t0) / 1000;
  store.setStatus(session.id, 'completed', start + 86_400_000);
  let t1 = performance.now();
  summarizeWatch(store, PROFILE, session.id);
  const reportMs = performance.now() - t1;
  t1 = performance.now();
  let points = 0;
  for (const name of SERIES) points += decimateMinMax(store.points(session.id, name), start, start + 86_400_000, 800, 15_000).length;
  const chartMs = performance.now() - t1;
  store.close();
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  return { rssMb: mem.rss / 1048576, heapMb: mem.heapUsed / 1048576, writeSeconds, reportMs, chartMs, points };
}

/**
 * The Launch page's own chart component (renderer/src/views/launch/LaunchChart.tsx), bundled
 * with React's production build, drawn in Chromium: 10 charts at 800 px, timed from render to
 * the second animation frame (layout and paint included).
 */
async function bundleLaunchCharts(): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = `
    import { createElement } from 'react';
    import { flushSync } from 'react-dom';
    import { createRoot } from 'react-dom/client';
    import { LaunchChart } from './views/launch/LaunchChart';
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.drawLaunchCharts = async (payload) => {
      // Settle before timing: the previous draw's teardown and garbage are not this draw's cost.
      window.gc?.();
      await frames();
      const root = createRoot(document.getElementById('root'));
      const t0 = performance.now();
      flushSync(() => root.render(createElement('div', { className: 'launch-charts' }, payload.series.map((s) =>
        createElement(LaunchChart, { key: s.name, series: s, from: payload.from, to: payload.to, width: 800, alerts: payload.alerts, gaps: payload.gaps, markers: payload.markers })))));
      await frames();
      const ms = performance.now() - t0;
      root.unmount();
      await frames();
      return ms;
    };`;
  const out = await esbuild.build({
    stdin: { contents: entry, resolveDir: join(import.meta.dirname, '..', 'renderer', 'src'), loader: 'tsx' },
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

async function renderInChromium(): Promise<{ decimatedMs: number; rawMs: number; emptyMs: number; decimatedPoints: number; rawPoints: number }> {
  const start = 0;
  const raw = SERIES.map((name) => Array.from({ length: DAY_TICKS }, (_, i) => [start + i * STEP, valuesAt(i)[name]!] as [number, number | null]));
  const decimated = raw.map((pts) => decimateMinMax(pts.map(([t, v]) => ({ t, v })), start, start + 86_400_000, 800, 15_000).map((p) => [p.t, p.v] as [number, number | null]));
  // What launch.series hands the page: series with thresholds, an alert span, a deploy marker.
  const payload = (points: [number, number | null][][]) => ({
    from: start,
    to: start + 86_400_000,
    series: SERIES.map((name, i) => ({ name, unit: '', threshold: name === 'pg.utilization' ? 0.8 : null, points: points[i]!, rawCount: DAY_TICKS })),
    alerts: [{ rule: 'sentry', metric: 'sentry.errors_per_hour', from: start + 12_000 * STEP, to: start + 12_100 * STEP }],
    gaps: [],
    markers: [{ at: start + 43_200_000, label: 'deployed' }],
  });
  const bundle = await bundleLaunchCharts();
  const browser = await chromium.launch({ executablePath: process.env.PREFLIGHT_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--js-flags=--expose-gc'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1800 } });
    await page.setContent('<!doctype html><body style="margin:0"><div id="root"></div></body>');
    await page.addScriptTag({ content: bundle });
    const draw = (data: ReturnType<typeof payload>) => page.evaluate((p) => (globalThis as unknown as { drawLaunchCharts(p: unknown): Promise<number> }).drawLaunchCharts(p), data);
    const runs = { dec: [] as number[], raw: [] as number[], empty: [] as number[] };
    const dec = payload(decimated);
    const all = payload(raw);
    // The floor: the same 10 charts with axes, threshold, alert span and marker but no points.
    const none = payload(SERIES.map(() => []));
    for (let i = 0; i < 5; i++) {
      runs.empty.push(await draw(none));
      runs.dec.push(await draw(dec));
      runs.raw.push(await draw(all));
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    return { decimatedMs: median(runs.dec), rawMs: median(runs.raw), emptyMs: median(runs.empty), decimatedPoints: decimated.reduce((a, s) => a + s.length, 0), rawPoints: raw.reduce((a, s) => a + s.length, 0) };
  } finally {
    await browser.close();
  }
}

function measureStore(dir: string): void {
  const i = ingest(dir);
  console.log(`store ingest, ${SERIES.length} series per tick: one transaction per tick ${Math.round(i.perTick).toLocaleString('en')} rows/s; row-by-row autocommit ${Math.round(i.autocommit).toLocaleString('en')} rows/s; ratio ${(i.perTick / i.autocommit).toFixed(1)}×`);
  const d = simulatedDay(dir);
  console.log(`simulated 24 h session at 5 s (${DAY_TICKS.toLocaleString('en')} ticks × ${SERIES.length} series): written in ${d.writeSeconds.toFixed(1)} s; report summary ${d.reportMs.toFixed(0)} ms; 24 h chart query + decimation (10 series, 800 px) ${d.chartMs.toFixed(0)} ms → ${d.points} points`);
  console.log(`process RSS after it: ${d.rssMb.toFixed(0)} MB (heap ${d.heapMb.toFixed(0)} MB); budget 300 MB`);
}

const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-watch-'));
try {
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (!RENDER_ONLY) measureStore(dir);
  const r = await renderInChromium();
  console.log(`Chromium render of the Launch page's 10 charts (LaunchChart), 24 h at 5 s: decimated ${r.decimatedPoints.toLocaleString('en')} points ${r.decimatedMs.toFixed(1)} ms; undecimated ${r.rawPoints.toLocaleString('en')} points ${r.rawMs.toFixed(1)} ms; ratio ${(r.rawMs / r.decimatedMs).toFixed(1)}×; the same charts without points ${r.emptyMs.toFixed(1)} ms (budget 100 ms, median of 5; load ${loadavg()[0]!.toFixed(1)} after)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
