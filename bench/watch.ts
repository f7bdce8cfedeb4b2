/**
 * The launch watch's costs, measured side by side in one run:
 *  1. store ingest, rows/s: one transaction per tick (what the watch does) beside row-by-row
 *     autocommit, 10 series per tick;
 *  2. process RSS after a simulated 24 h session at 5 s (17,280 ticks × 10 series written
 *     through the alert evaluator and the store, then the report summary and a 24 h chart query);
 *  3. render time in Chromium of 10 series over 24 h at 5 s: the min/max-decimated points the
 *     Launch page draws (800 px wide) beside the undecimated series, same SVG code path.
 *
 *   node bin/run-ts.mjs bench/watch.ts [--autocommit-ticks 1000]
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

async function renderInChromium(): Promise<{ decimatedMs: number; rawMs: number; decimatedPoints: number; rawPoints: number }> {
  const start = 0;
  const raw = SERIES.map((name) => Array.from({ length: DAY_TICKS }, (_, i) => [start + i * STEP, valuesAt(i)[name]!] as [number, number]));
  const decimated = raw.map((pts) => decimateMinMax(pts.map(([t, v]) => ({ t, v })), start, start + 86_400_000, 800, 15_000).map((p) => [p.t, p.v] as [number, number | null]));
  const browser = await chromium.launch({ executablePath: process.env.PREFLIGHT_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1800 } });
    await page.setContent('<!doctype html><body style="margin:0"><div id="root"></div></body>');
    // The same path construction as LaunchChart.tsx: one <path> per series, nulls break the line.
    await page.addScriptTag({
      content: `window.drawSeries = async function (series) {
        const root = document.getElementById('root');
        root.innerHTML = '';
        const t0 = performance.now();
        for (const pts of series) {
          const values = pts.filter((p) => p[1] !== null).map((p) => p[1]);
          const lo = Math.min(0, ...values);
          const hi = Math.max(...values) || 1;
          let d = '';
          let pen = false;
          for (const [t, v] of pts) {
            if (v === null) { pen = false; continue; }
            d += (pen ? 'L' : 'M') + (52 + (t / 86400000) * 740).toFixed(1) + ',' + (8 + (1 - (v - lo) / (hi - lo || 1)) * 122).toFixed(1);
            pen = true;
          }
          const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
          svg.setAttribute('width', '800');
          svg.setAttribute('height', '150');
          const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
          path.setAttribute('d', d);
          path.setAttribute('fill', 'none');
          path.setAttribute('stroke', '#333');
          svg.appendChild(path);
          root.appendChild(svg);
        }
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0;
      };`,
    });
    const draw = (data: [number, number | null][][]) => page.evaluate((series) => (globalThis as unknown as { drawSeries(s: unknown): Promise<number> }).drawSeries(series), data);
    const runs = { dec: [] as number[], raw: [] as number[] };
    for (let i = 0; i < 5; i++) {
      runs.dec.push(await draw(decimated));
      runs.raw.push(await draw(raw));
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    return { decimatedMs: median(runs.dec), rawMs: median(runs.raw), decimatedPoints: decimated.reduce((a, s) => a + s.length, 0), rawPoints: raw.reduce((a, s) => a + s.length, 0) };
  } finally {
    await browser.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-watch-'));
try {
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const i = ingest(dir);
  console.log(`store ingest, ${SERIES.length} series per tick: one transaction per tick ${Math.round(i.perTick).toLocaleString('en')} rows/s; row-by-row autocommit ${Math.round(i.autocommit).toLocaleString('en')} rows/s; ratio ${(i.perTick / i.autocommit).toFixed(1)}×`);
  const d = simulatedDay(dir);
  console.log(`simulated 24 h session at 5 s (${DAY_TICKS.toLocaleString('en')} ticks × ${SERIES.length} series): written in ${d.writeSeconds.toFixed(1)} s; report summary ${d.reportMs.toFixed(0)} ms; 24 h chart query + decimation (10 series, 800 px) ${d.chartMs.toFixed(0)} ms → ${d.points} points`);
  console.log(`process RSS after it: ${d.rssMb.toFixed(0)} MB (heap ${d.heapMb.toFixed(0)} MB); budget 300 MB`);
  const r = await renderInChromium();
  console.log(`Chromium render, 10 series × 24 h at 5 s: decimated ${r.decimatedPoints.toLocaleString('en')} points ${r.decimatedMs.toFixed(1)} ms; undecimated ${r.rawPoints.toLocaleString('en')} points ${r.rawMs.toFixed(1)} ms; ratio ${(r.rawMs / r.decimatedMs).toFixed(1)}× (budget 100 ms, median of 5)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
