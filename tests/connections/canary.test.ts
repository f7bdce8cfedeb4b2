/**
 * Canary: a password planted in a saved connection must never be found again in plaintext —
 * not in the data folder, not in what the engine writes to stdout/stderr, not in any answer
 * over the contract — after saving it, watching with it (ticks stored), failing with it and
 * reading sessions with it.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import { dataDir } from '../../electron/core/util/data-dir';
import { freshDatabase, sharedPostgres, waitFor } from '../harness';
import { captureOutput, filesUnder, recordingCaller } from './canary-kit';
import { fakeKeychain } from './fake-cipher';

const CANARY = `canary-${Math.random().toString(36).slice(2)}-Zq9`;
const role = `canary_${Math.random().toString(36).slice(2, 8)}`;
let engine: Engine;
let output = '';
const answers: unknown[] = [];
const restore: (() => void)[] = [];

const call = recordingCaller(() => engine, answers);

beforeAll(async () => {
  captureOutput((text) => (output += text), restore);
  const admin = new pg.Client({ connectionString: sharedPostgres().url });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${CANARY}'`);
  await admin.end();
  engine = createEngine({ transport: 'ipc', version: 'test', secretCipher: fakeKeychain() });
});
afterAll(async () => {
  await engine?.close();
  restore.forEach((r) => r());
});

describe('a planted canary password', () => {
  it('is found nowhere after save, list, watch ticks, a sessions read and a failed connection', async () => {
    const db = await freshDatabase('canary');
    const url = new URL(db.url);
    url.username = role;
    url.password = CANARY;
    const scope = { profile: 'startinsight', environment: 'production' };
    const saved = (await call('connections.save', { ...scope, kind: 'postgres', url: url.href })) as { id: string; maskedUrl: string };
    expect(saved.maskedUrl).toContain('*****');
    await call('connections.list', scope);

    // A watch tick with the canary's credentials, stored in the data folder.
    const { targetId } = (await call('connections.watch', { id: saved.id, intervalMs: 1000 })) as { targetId: string };
    await waitFor(async () => ((await call('pg.history', { targetId, limit: 10 })) as unknown[]).length > 0, { timeoutMs: 30_000, what: 'a stored tick' });
    await call('pg.targets', {});
    await call('pg.sessions', { targetId });

    // The same password against the wrong port: the error must not carry it.
    const wrong = new URL(url.href);
    wrong.port = '1';
    const broken = (await call('connections.save', { ...scope, kind: 'postgres', url: wrong.href })) as { id: string };
    const failure = await call('connections.watch', { id: broken.id, intervalMs: 1000 }).then(
      () => null,
      (err: Error) => err.message,
    );
    // Whether pg.watch refuses at once or reports later, its message names the target masked.
    if (failure) expect(failure).not.toContain(CANARY);
    await call('pg.targets', {});
    await engine.close();

    const hits = filesUnder(dataDir()).filter((file) => readFileSync(file).includes(CANARY));
    expect(filesUnder(dataDir()).map((f) => f.slice(dataDir().length))).toContain('/connections.json');
    expect(hits).toEqual([]);
    expect(output).not.toContain(CANARY);
    expect(JSON.stringify(answers)).not.toContain(CANARY);
    expect(JSON.stringify(answers)).not.toContain(encodeURIComponent(CANARY));
  });
});
