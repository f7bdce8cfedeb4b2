/** The Indexes page's calls through the contract: a catalog read that fails is said, never swallowed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import { createEngine } from '../electron/core/api/engine';
import type { CallOutput, EventPayload } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import { privatePostgres, waitFor } from './harness';

const EXPECT_YAML = '- table: pg_class_probe\n  columns: [id]\n';

const engine = createEngine({ transport: 'http', version: 'test' });
let pg: EphemeralPostgres;
beforeAll(async () => {
  pg = await privatePostgres();
});
afterAll(async () => {
  await engine.close();
  await pg?.destroy();
});

describe('indexes.* calls', () => {
  it('a target that is down emits indexes.failed and reads as down with its last error; the next good read makes it up', async () => {
    await pg.stop();
    const failures: EventPayload<'indexes.failed'>[] = [];
    const reports: EventPayload<'indexes.report'>[] = [];
    const off = engine.events.subscribe((name, payload) => {
      if (name === 'indexes.failed') failures.push(payload as EventPayload<'indexes.failed'>);
      if (name === 'indexes.report') reports.push(payload as EventPayload<'indexes.report'>);
    });
    const url = pg.url.replace('postgres@', 'postgres:idx-sekrit@');
    const target = unwrap(await dispatchCall(engine.handlers, 'indexes.watch', { url, expectYaml: EXPECT_YAML })) as CallOutput<'indexes.watch'>;
    expect(target.status.lastError).toBeNull();

    await waitFor(() => failures.length >= 1, { what: 'the failed catalog read', timeoutMs: 15_000 });
    expect(failures[0]!.targetId).toBe(target.targetId);
    expect(failures[0]!.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(failures)).not.toContain('idx-sekrit');
    const [listed] = unwrap(await dispatchCall(engine.handlers, 'indexes.targets', {})) as CallOutput<'indexes.targets'>;
    expect(listed!.status.state).toBe('down');
    expect(listed!.status.lastError).toEqual({ at: failures[0]!.at, message: failures[0]!.message });
    const status = unwrap(await dispatchCall(engine.handlers, 'indexes.status', { targetId: target.targetId })) as CallOutput<'indexes.status'>;
    expect(status.status).toEqual(listed!.status);
    expect(unwrap(await dispatchCall(engine.handlers, 'indexes.report', { targetId: target.targetId }))).toBeNull();

    await pg.start();
    const report = unwrap(await dispatchCall(engine.handlers, 'indexes.refresh', { targetId: target.targetId })) as CallOutput<'indexes.refresh'>;
    off();
    expect(report.indexes).toHaveLength(1);
    expect(report.indexes[0]!.status).toBe('not_applicable');
    expect(reports.map((r) => r.targetId)).toContain(target.targetId);
    const [after] = unwrap(await dispatchCall(engine.handlers, 'indexes.targets', {})) as CallOutput<'indexes.targets'>;
    expect(after!.status.state).toBe('up');
    expect(after!.status.lastOkAt).toBe(report.checkedAt);
  });
});
