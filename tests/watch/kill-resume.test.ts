/**
 * `kill -9` of a `preflight watch` process while it writes, then `--resume`: the store passes
 * PRAGMA integrity_check, the same session continues, the time the watch was dead is one
 * "stopped" gap starting at the last committed tick (so at most the tick in flight is lost),
 * and no sample is written twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';
import { waitFor } from '../harness';
import { startWatchStack, type WatchStack } from './helpers';

let stack: WatchStack;
let storeFile: string;

function startWatch(extra: string[]): { child: ChildProcess; events: Record<string, unknown>[]; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'bin', 'preflight.mjs'), 'watch', '--profile', stack.profileFile, '--env', 'local', '--jsonl', '--store', storeFile, '--interval', '200ms', '--intervals', 'postgres=100ms,redis=100ms,api=150ms,sentry=300ms,checks=1h', '--rate-window', '5s', ...extra],
    { cwd: PROJECT_ROOT, env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, events, exited };
}

beforeAll(async () => {
  stack = await startWatchStack();
  storeFile = join(stack.dir, 'killed.sqlite');
});
afterAll(async () => {
  await stack?.stop();
});

describe('kill -9 during writes, then --resume', () => {
  it('keeps the store intact, continues the same session with one stopped gap, duplicates nothing', async () => {
    const first = startWatch([]);
    await waitFor(() => first.events.filter((e) => e.type === 'sample').length >= 8, { what: '8 committed ticks', timeoutMs: 60_000 });
    first.child.kill('SIGKILL');
    await first.exited;
    const printed = first.events.filter((e) => e.type === 'sample');
    const lastPrintedTick = Date.parse(printed.at(-1)!.at as string);
    const sessionId = (first.events.find((e) => e.type === 'start')!.session as string);

    const db = new Database(storeFile, { readonly: true });
    const before = db.prepare('SELECT last_tick_at AS t, status FROM watch_sessions WHERE id = ?').get(sessionId) as { t: number; status: string };
    const samplesBefore = (db.prepare('SELECT COUNT(*) AS n FROM watch_samples').get() as { n: number }).n;
    db.close();
    // Every tick the dead process announced was committed: at most the one in flight is lost.
    expect(before.t).toBeGreaterThanOrEqual(lastPrintedTick);
    expect(before.status).toBe('running');

    const second = startWatch(['--resume']);
    await waitFor(() => second.events.filter((e) => e.type === 'sample').length >= 5, { what: 'ticks after resume', timeoutMs: 60_000 });
    second.child.kill('SIGINT');
    // Ctrl+C ends the watch cleanly: an `end` event, exit 0 or 1 (1 when an alert fired, e.g. a
    // readiness poll that timed out on this busy machine).
    expect([0, 1]).toContain(await second.exited);
    expect(second.events.at(-1)).toMatchObject({ type: 'end', status: 'stopped' });
    const start = second.events.find((e) => e.type === 'start')!;
    expect(start.session).toBe(sessionId);
    expect(start.resumed).toBe(true);
    const gapEvents = second.events.filter((e) => e.type === 'gap' && e.cause === 'stopped');
    expect(gapEvents).toHaveLength(1);
    expect(Date.parse(gapEvents[0]!.from as string)).toBe(before.t);

    const check = new Database(storeFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const gaps = check.prepare("SELECT from_t, to_t FROM watch_gaps WHERE session_id = ? AND cause = 'stopped'").all(sessionId) as { from_t: number; to_t: number }[];
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.from_t).toBe(before.t);
    const dupes = check.prepare('SELECT series_id, t, COUNT(*) AS n FROM watch_samples GROUP BY series_id, t HAVING n > 1').all();
    expect(dupes).toEqual([]);
    expect((check.prepare('SELECT COUNT(*) AS n FROM watch_samples').get() as { n: number }).n).toBeGreaterThan(samplesBefore);
    // No sample falls inside the dead stretch.
    const inside = check.prepare('SELECT COUNT(*) AS n FROM watch_samples WHERE t > ? AND t < ?').get(gaps[0]!.from_t, gaps[0]!.to_t) as { n: number };
    expect(inside.n).toBe(0);
    expect((check.prepare('SELECT status FROM watch_sessions WHERE id = ?').get(sessionId) as { status: string }).status).toBe('stopped');
    check.close();
  }, 240_000);
});
