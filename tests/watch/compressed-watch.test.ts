/**
 * A compressed launch watch (intervals of 150–300 ms, a 3 s rate window) against the sample
 * stack with injected faults: Postgres stopped for a while, Redis restarted (readiness 503
 * meanwhile), a twin whose /health raises (500s and Sentry errors). Each alert fires and
 * resolves, each outage is a gap, the report lists them, and nothing but the health endpoints
 * of the API is ever requested.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../electron/core/profile/load';
import { watchMarkdown, watchHtml } from '../../electron/core/report/watch-report';
import { summarizeWatch } from '../../electron/core/report/watch-summary';
import { WatchStore } from '../../electron/core/store/watch-store';
import { startMetricsServer, watchRegistry } from '../../electron/core/watch/prometheus';
import { WatchSession, type WatchEvent } from '../../electron/core/watch/session';
import { waitFor } from '../harness';
import { startWatchStack, type WatchStack } from './helpers';

let stack: WatchStack;
let store: WatchStore;
let session: WatchSession;
const events: WatchEvent[] = [];

const alertStates = (rule: string) => events.filter((e): e is Extract<WatchEvent, { type: 'alert' }> => e.type === 'alert' && e.rule === rule).map((e) => e.state);
const resolvedAfterFiring = (rule: string) => {
  const s = alertStates(rule);
  const fired = s.indexOf('firing');
  return fired >= 0 && s.indexOf('resolved', fired) > fired;
};

beforeAll(async () => {
  stack = await startWatchStack();
  store = new WatchStore(join(stack.dir, 'watch.sqlite'));
  session = new WatchSession({
    loaded: loadProfile(stack.profileFile),
    environment: 'local',
    store,
    durationMs: 3_600_000,
    tickMs: 200,
    intervals: { postgres: 150, redis: 150, api: 200, sentry: 300, checks: 1500 },
    rateWindowMs: 3000,
    env: stack.env,
    onEvent: (e) => events.push(e),
  });
  await session.start();
});

afterAll(async () => {
  await session?.stop();
  store?.close();
  await stack?.stop();
});

describe('compressed watch against the sample stack', () => {
  it('starts healthy: samples flow and no alert is firing', async () => {
    await waitFor(() => session.latestValues['http.ready_up'] === 1 && session.latestValues['pg.up'] === 1 && session.latestValues['redis.up'] === 1, { what: 'first healthy samples' });
    await waitFor(() => events.some((e) => e.type === 'sample'), { what: 'a sample event' });
    expect(session.alerts.filter((a) => a.state === 'firing')).toEqual([]);
  });

  it('Postgres stopped for a while: pg-down and ready-down fire, then resolve; the outage is an unreachable gap', async () => {
    await stack.postgres.stop();
    await waitFor(() => alertStates('pg-down').includes('firing') && alertStates('ready-down').includes('firing'), { what: 'pg-down and ready-down firing', timeoutMs: 20_000 });
    await stack.postgres.start();
    await waitFor(() => resolvedAfterFiring('pg-down') && resolvedAfterFiring('ready-down'), { what: 'pg-down and ready-down resolved', timeoutMs: 30_000 });
    await waitFor(() => events.some((e) => e.type === 'gap' && e.target === 'postgres' && e.cause === 'unreachable'), { what: 'the postgres gap event' });
    await waitFor(() => store.gaps(session.session.id).some((g) => g.target === 'postgres' && g.to !== null), { what: 'the postgres gap closed in the store' });
  });

  it('Redis restarted: redis-down fires and resolves, readiness answered 503 meanwhile', async () => {
    const readyFiringsBefore = alertStates('ready-down').filter((s) => s === 'firing').length;
    await stack.redis.stop();
    await waitFor(() => alertStates('redis-down').includes('firing'), { what: 'redis-down firing', timeoutMs: 20_000 });
    await waitFor(() => alertStates('ready-down').filter((s) => s === 'firing').length > readyFiringsBefore, { what: 'ready-down firing again (503)', timeoutMs: 20_000 });
    await stack.redis.start();
    await waitFor(() => resolvedAfterFiring('redis-down') && alertStates('ready-down').at(-1) === 'resolved', { what: 'redis-down and ready-down resolved', timeoutMs: 30_000 });
    await waitFor(() => store.gaps(session.session.id).some((g) => g.target === 'redis' && g.to !== null), { what: 'the redis gap closed in the store' });
  });

  it('a twin raising 500s and Sentry errors fires http-5xx and sentry-errors; both resolve when it stops', async () => {
    stack.api.twins.healthThrows = true;
    await waitFor(() => alertStates('http-5xx').includes('firing') && alertStates('sentry-errors').includes('firing'), { what: 'http-5xx and sentry-errors firing', timeoutMs: 20_000 });
    stack.api.twins.healthThrows = false;
    await waitFor(() => resolvedAfterFiring('http-5xx') && resolvedAfterFiring('sentry-errors'), { what: 'http-5xx and sentry-errors resolved', timeoutMs: 30_000 });
    expect(stack.api.errorEvents.length).toBeGreaterThan(0);
    expect(stack.sentry.refused).toBe(0);
  });

  it('exposes the latest samples and alert states to Prometheus on 127.0.0.1', async () => {
    const metrics = await startMetricsServer(watchRegistry(() => [{ profile: 'watched', environment: 'local', latestValues: session.latestValues, alerts: session.alerts, targetStates: session.targetStates }]), 0);
    try {
      expect(metrics.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(metrics.url)).text();
      expect(text).toMatch(/^preflight_metric\{metric="pg\.connections",profile="watched",environment="local"\} \d+$/m);
      expect(text).toMatch(/^preflight_alert_state\{rule="sentry-errors",severity="high",profile="watched",environment="local"\} [012]$/m);
      expect(text).toMatch(/^preflight_target_up\{target="api",profile="watched",environment="local"\} 1$/m);
      expect((await fetch(metrics.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await metrics.close();
    }
  });

  it('the passive check run reports a score', async () => {
    await waitFor(() => events.some((e) => e.type === 'check-run'), { what: 'a check-run event', timeoutMs: 20_000 });
  });

  it('the pool alert never fired and its first-24h item is not broken; the report lists every alert and gap', async () => {
    await session.stop('stopped');
    const end = events.at(-1)!;
    expect(end.type).toBe('end');
    const profile = loadProfile(stack.profileFile).profile;
    const summary = summarizeWatch(store, profile, session.session.id);
    const fired = new Set(summary.alerts.map((a) => a.rule));
    for (const rule of ['pg-down', 'redis-down', 'ready-down', 'http-5xx', 'sentry-errors']) expect(fired, rule).toContain(rule);
    expect(fired.has('pg-utilization')).toBe(false);
    expect(summary.alerts.every((a) => a.resolvedAt !== null)).toBe(true);
    const stored = store.alerts(session.session.id);
    expect(stored.filter((t) => t.rule === 'sentry-errors').map((t) => t.state)).toEqual(expect.arrayContaining(['firing', 'resolved']));
    const md = watchMarkdown(summary);
    for (const a of summary.alerts) expect(md).toContain(`\`${a.rule}\``);
    const causes = summary.gaps.map((g) => `${g.cause}:${g.target}`);
    expect(causes).toEqual(expect.arrayContaining(['unreachable:postgres', 'unreachable:redis']));
    expect(md).toMatch(/\| unreachable \| postgres \|/);
    expect(md).toMatch(/\| unreachable \| redis \|/);
    const pool = summary.items.find((i) => i.stepId === 'pool')!;
    expect(pool.broken).toEqual([]);
    const sentryItem = summary.items.find((i) => i.stepId === 'sentry-under-5')!;
    expect(sentryItem.broken.length).toBeGreaterThan(0);
    expect(sentryItem.line).toMatch(/broken \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC/);
    // A stopped (unfinished) watch never ticks a step.
    expect(summary.items.some((i) => i.held)).toBe(false);
    const html = watchHtml(summary, store, profile);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('touched only the health endpoints of the API', () => {
    for (const path of ['/api/insights', '/api/test-sentry', '/api/payments/webhook', '/api/insights/1/trend-stream']) expect(stack.api.requestsSeen(path), path).toBe(0);
    expect(stack.api.requestsSeen('/health/ready')).toBeGreaterThan(0);
    expect(stack.api.requestsSeen()).toBe(stack.api.requestsSeen('/health') + stack.api.requestsSeen('/health/ready') + stack.api.requestsSeen('/health/live'));
  });
});
