/**
 * What each live page costs the browser's main thread. Starts the demo stack with cache traffic
 * and busy Postgres sessions, runs `preflight serve`, watches Postgres, Redis, the index catalog
 * and the API through the contract, then opens each page in Chromium (playwright-core, one page
 * at a time so background-tab throttling does not flatter anyone) and reads the renderer's
 * cumulative task time from the DevTools Performance domain before and after the window.
 * An idle page (Overview, nothing live on it) is measured in the same run as the floor.
 *
 *   node bin/run-ts.mjs bench/render.ts [--duration 60] [--interval 2000] [--warmup 20]
 *
 * --duration  seconds each page is measured (default 60)
 * --interval  sampling interval of the Postgres and Redis watchers in ms (default 2000)
 * --warmup    seconds the watchers run before the first page opens, so charts start with history
 *
 * Budget (issue 11): under 5 % of the main thread busy at a 2 s tick.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { startCacheTraffic, startDemoStack } from '../demo';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} expects a non-negative number`);
  return n;
}

const DURATION_S = arg('duration', 60);
const INTERVAL_MS = arg('interval', 2000);
const WARMUP_S = arg('warmup', 20);
const CHROMIUM = process.env.PREFLIGHT_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startServe(): Promise<{ origin: string; token: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PREFLIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'pf-bench-render-')) };
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'preflight.mjs'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stderr);
      if (m) resolve({ origin: m[1]!, token: m[2]!, child });
    });
    child.once('exit', (code) => reject(new Error(`preflight serve exited with ${code}: ${stderr}`)));
  });
}

if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM} (set PREFLIGHT_CHROMIUM).`);
  process.exit(2);
}

const stack = await startDemoStack();
const traffic = await startCacheTraffic(stack.redis.url, { everyMs: 100 });
// Sessions that come and go, so the Postgres chart and table change every sample.
const sessions = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
  const c = new pg.Client({ connectionString: stack.postgres.url, application_name: `bench-render-${i % 3}` });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}));
let pgBusy = true;
const pgLoad = (async () => {
  while (pgBusy) {
    await Promise.all(sessions.map((c, i) => c.query(i % 4 === 0 ? 'SELECT pg_sleep(0.3)' : 'SELECT count(*) FROM pg_class').catch(() => undefined)));
    await sleep(200);
  }
})();

const serve = await startServe();
const call = async (name: string, input: unknown): Promise<Record<string, unknown>> => {
  const res = await fetch(`${serve.origin}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-preflight-token': serve.token }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: { message: string } };
  if (body.error) throw new Error(`${name}: ${body.error.message}`);
  return body.result!;
};
await call('pg.watch', { url: stack.postgres.url, intervalMs: INTERVAL_MS });
await call('redis.watch', { url: stack.redis.url, intervalMs: INTERVAL_MS });
await call('indexes.watch', { url: stack.postgres.url, expectYaml: '- table: insights\n  columns: [created_at]\n', intervalMs: 60_000 }).catch(() => undefined);
await call('http.watch', { baseUrl: stack.api.url, intervalMs: Math.max(2000, INTERVAL_MS) });
console.log(`Watchers every ${INTERVAL_MS} ms; warming up ${WARMUP_S} s so the charts have history…`);
await sleep(WARMUP_S * 1000);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const PAGES = [
  { id: 'overview', label: 'Overview (idle)' },
  { id: 'postgres', label: 'Postgres' },
  { id: 'redis', label: 'Redis' },
  { id: 'indexes', label: 'Indexes' },
  { id: 'endpoints', label: 'Endpoints' },
];
const rows: { page: string; busyS: number; busyPct: number; cpuS: number; cpuPct: number; scriptS: number; layoutS: number; styleS: number }[] = [];
for (const p of PAGES) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${serve.origin}/?token=${serve.token}`);
  // Route after the token is taken (builds before the hash fix dropped #/page with the token).
  await page.evaluate((id) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = `#/${id}`;
  }, p.id);
  await page.locator('h1').first().waitFor();
  await sleep(3000); // first render and history load are not the steady state
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
  const before = await read();
  const started = performance.now();
  await sleep(DURATION_S * 1000);
  const after = await read();
  const wallS = (performance.now() - started) / 1000;
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  // TaskDuration is wall time inside tasks (inflated when the machine is overloaded);
  // ThreadTime is the CPU the renderer's main thread actually used.
  rows.push({ page: p.label, busyS: d('TaskDuration'), busyPct: (100 * d('TaskDuration')) / wallS, cpuS: d('ThreadTime'), cpuPct: (100 * d('ThreadTime')) / wallS, scriptS: d('ScriptDuration'), layoutS: d('LayoutDuration'), styleS: d('RecalcStyleDuration') });
  await page.close();
}
await browser.close();

console.log(`\nMain-thread busy time per page over ${DURATION_S} s of live data (tick ${INTERVAL_MS} ms), Chromium ${browser.version()}`);
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
console.log('page              busy (s)  busy (%)  CPU (s)  CPU (%)  script (s)  layout (s)  style (s)');
const idle = rows[0]!;
for (const r of rows) {
  console.log(`${r.page.padEnd(17)} ${r.busyS.toFixed(2).padStart(8)}  ${r.busyPct.toFixed(1).padStart(8)}  ${r.cpuS.toFixed(2).padStart(7)}  ${r.cpuPct.toFixed(1).padStart(7)}  ${r.scriptS.toFixed(2).padStart(10)}  ${r.layoutS.toFixed(2).padStart(10)}  ${r.styleS.toFixed(2).padStart(9)}`);
}
const worst = rows.slice(1).reduce((a, b) => (b.busyPct > a.busyPct ? b : a));
console.log(`worst live page: ${worst.page} ${worst.busyPct.toFixed(1)} % busy, ${worst.cpuPct.toFixed(1)} % main-thread CPU (${(worst.busyPct / Math.max(idle.busyPct, 0.01)).toFixed(1)}× the idle page's busy time); budget < 5 % at a 2 s tick`);

pgBusy = false;
await pgLoad;
await Promise.all(sessions.map((c) => c.end().catch(() => undefined)));
serve.child.kill('SIGINT');
await traffic.stop();
await stack.stop();
process.exit(0);
