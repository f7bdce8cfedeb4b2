/**
 * Canary, the rest of the path (issue 14): the same planted password is saved, used by a check
 * run and a launch watch (ticks stored in the data folder), exported (launch report and
 * checklist, md and html) and carried by crash reports (an error in main, and one sent by the
 * renderer through the contract) to a local HTTP sink acting as the Sentry DSN. Then the data
 * folder, everything the process printed, every contract answer and every captured payload are
 * searched: zero hits.
 */
import * as Sentry from '@sentry/node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import { dataDir } from '../../electron/core/util/data-dir';
import { captureRendererCrash, sentryOptions } from '../../electron/core/telemetry/crash-reporting';
import { freshDatabase, sharedPostgres, sharedRedis, waitFor } from '../harness';
import { startSentrySink, type SentrySink } from '../telemetry/sentry-sink';
import { captureOutput, filesUnder, recordingCaller } from './canary-kit';
import { fakeKeychain } from './fake-cipher';

const CANARY = `canary-${Math.random().toString(36).slice(2)}-Wv4`;
const role = `canary_all_${Math.random().toString(36).slice(2, 8)}`;
const scope = { profile: 'canaried', environment: 'production' };
let engine: Engine;
let sink: SentrySink;
let output = '';
const answers: unknown[] = [];
const restore: (() => void)[] = [];

const call = recordingCaller(() => engine, answers);

const PROFILE = `version: 1
name: canaried
environments:
  - name: production
    kind: production
    secrets:
      database_url: { env: CANARY_DATABASE_URL }
      redis_url: { env: CANARY_REDIS_URL }
    targets:
      postgres: { url: { secret: database_url } }
      redis: { url: { secret: redis_url } }
expectations:
  postgres: { poolUtilization: { warn: 0.5, fail: 0.8 } }
checklist:
  phases:
    - id: pre-deploy
      title: Before the deploy
      steps:
        - { id: pool, title: Pool below 80 %, checks: [pg.pool-utilization] }
alerts:
  - { id: pg-down, title: Postgres not answering, metric: pg.up, op: '<', value: 1, severity: critical }
`;

beforeAll(async () => {
  captureOutput((text) => (output += text), restore);
  sink = await startSentrySink();
  Sentry.init(sentryOptions({ dsn: sink.dsn, minidumps: false }, '0.0.0-test') as unknown as Sentry.NodeOptions);

  const admin = new pg.Client({ connectionString: sharedPostgres().url });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${CANARY}'`);
  await admin.end();
  const db = await freshDatabase('canary_all');
  const url = new URL(db.url);
  url.username = role;
  url.password = CANARY;
  const profiles = mkdtempSync(join(tmpdir(), 'preflight-canary-profiles-'));
  writeFileSync(join(profiles, 'canaried.yaml'), PROFILE);
  Object.assign(process.env, { PREFLIGHT_PROFILES_DIR: profiles, CANARY_DATABASE_URL: url.href, CANARY_REDIS_URL: sharedRedis().url });
  engine = createEngine({
    transport: 'ipc',
    version: 'test',
    secretCipher: fakeKeychain(),
    reportRendererError: (report) => {
      captureRendererCrash(Sentry, report);
      return true;
    },
  });
});
afterAll(async () => {
  await engine?.close();
  await Sentry.close(5000);
  await sink?.close();
  restore.forEach((r) => r());
});

describe('a planted canary password', () => {
  it('is found nowhere after save, a check run, a launch watch tick, exports and crash reports', { timeout: 120_000 }, async () => {
    const url = process.env.CANARY_DATABASE_URL!;
    await call('connections.save', { ...scope, kind: 'postgres', url });

    // A check run with the canary's credentials (stored in the data folder).
    const report = (await call('checks.run', scope)) as { results: { id: string; status: string }[] };
    expect(report.results.find((c) => c.id === 'pg.pool-utilization')?.status).toBe('pass');

    // A launch watch: wait for a stored Postgres sample, then stop it.
    const started = (await call('launch.start', { ...scope, durationMs: 3_600_000 })) as { sessionId: string };
    await waitFor(
      async () => {
        const series = (await call('launch.series', { sessionId: started.sessionId, range: '15m' })) as { series: { name: string; rawCount: number }[] };
        return series.series.some((s) => s.name.startsWith('pg.') && s.rawCount > 0);
      },
      { timeoutMs: 60_000, what: 'a stored launch-watch tick of Postgres' },
    );
    await call('launch.stop', { sessionId: started.sessionId });

    // Exports: the launch report and the checklist, in both formats.
    const exports: string[] = [];
    for (const format of ['md', 'html']) {
      exports.push(((await call('launch.report', { sessionId: started.sessionId, format })) as { text: string }).text);
      await call('checklist.start', scope);
      exports.push(((await call('checklist.export', { ...scope, format })) as { content: string }).content);
    }
    expect(exports.join('\n')).toContain('canaried');

    // Crash reports: an error in main quoting the URL, and one the renderer sends.
    Sentry.captureException(new Error(`watch crashed on ${url} (password=${CANARY})`));
    await call('app.reportRendererError', { source: 'window.error', name: 'TypeError', message: `cannot draw ${url}`, stack: `TypeError: cannot draw ${url}\n    at draw (app://preflight/assets/index.js:1:2)`, page: '#/postgres' });
    await Sentry.flush(10_000);
    await waitFor(() => sink.events().length >= 2, { timeoutMs: 20_000, what: 'two crash reports at the sink' });
    expect(sink.envelopes.join('\n')).toContain(`${role}:*****@`);

    await engine.close();
    const files = filesUnder(dataDir());
    expect(files.map((f) => f.slice(dataDir().length))).toEqual(expect.arrayContaining(['/connections.json']));
    expect(files.length).toBeGreaterThan(2);
    expect(files.filter((file) => readFileSync(file).includes(CANARY))).toEqual([]);
    expect(output).not.toContain(CANARY);
    for (const text of [JSON.stringify(answers), exports.join('\n'), sink.envelopes.join('\n')]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(encodeURIComponent(CANARY));
    }
  });
});
