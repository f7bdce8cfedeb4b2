/** The saved-connection store with a fake keychain: what is refused, what is stored, what is shown. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../electron/core/connections/connection-store';
import { fakeKeychain } from './fake-cipher';

const PASSWORD = 'store-canary-Pa55@word/x';
const url = `postgres://monitor:${encodeURIComponent(PASSWORD)}@db.internal:5432/app?sslmode=require`;
const scope = { profile: 'startinsight', environment: 'production' };
const fresh = () => mkdtempSync(join(tmpdir(), 'pf-conn-'));

describe('connection store', () => {
  it('stores ciphertext only, lists masked URLs per profile and environment, and decrypts for the engine', async () => {
    const dir = fresh();
    const store = new ConnectionStore(dir, fakeKeychain());
    const saved = await store.save({ ...scope, kind: 'postgres', url });
    expect(saved.maskedUrl).toBe('postgres://monitor:*****@db.internal:5432/app?sslmode=require');
    expect(store.list(scope.profile, scope.environment)).toEqual([saved]);
    expect(store.list(scope.profile, 'staging')).toEqual([]);
    const file = readFileSync(join(dir, 'connections.json'), 'utf8');
    expect(file).not.toContain(PASSWORD);
    expect(file).not.toContain(encodeURIComponent(PASSWORD));
    expect((await store.open(saved.id)).url).toBe(url);
    expect(store.delete(saved.id)).toBe(true);
    expect(store.list(scope.profile, scope.environment)).toEqual([]);
  });

  it('refuses Linux basic_text, says why, until accepted for this machine only', async () => {
    const dir = fresh();
    const keychain = fakeKeychain({ backend: 'basic_text', weak: true });
    const here = new ConnectionStore(dir, keychain, 'laptop-a');
    expect(await here.status()).toMatchObject({ canSave: false, backend: 'basic_text', basicTextAccepted: false });
    await expect(here.save({ ...scope, kind: 'redis', url: `redis://:${PASSWORD}@cache:6379` })).rejects.toThrow(/basic_text/);
    expect(await here.acceptBasicText()).toMatchObject({ canSave: true, basicTextAccepted: true });
    await here.save({ ...scope, kind: 'redis', url: `redis://:${PASSWORD}@cache:6379` });
    // The same data folder on another machine (synced home, copied profile) is not accepted.
    expect(await new ConnectionStore(dir, keychain, 'laptop-b').status()).toMatchObject({ canSave: false, basicTextAccepted: false });
  });

  it('refuses with no keychain (serve, CLI) or an unavailable one; never falls back to plaintext', async () => {
    await expect(new ConnectionStore(fresh(), null).save({ ...scope, kind: 'postgres', url })).rejects.toThrow(/desktop app/);
    await expect(new ConnectionStore(fresh(), fakeKeychain({ available: false })).save({ ...scope, kind: 'postgres', url })).rejects.toThrow(/keychain is not available/);
  });

  it('refuses a URL of the other kind (a redis:// URL saved as postgres would reach the wrong watcher)', async () => {
    await expect(new ConnectionStore(fresh(), fakeKeychain()).save({ ...scope, kind: 'postgres', url: 'redis://:pw@cache:6379' })).rejects.toThrow(/postgres:\/\//);
  });

  it('a secret another keychain cannot decrypt is reported, not returned garbled', async () => {
    const dir = fresh();
    const saved = await new ConnectionStore(dir, fakeKeychain()).save({ ...scope, kind: 'postgres', url });
    await expect(new ConnectionStore(dir, fakeKeychain()).open(saved.id)).rejects.toThrow(/cannot be decrypted/);
  });

  it('saving the same URL twice keeps one entry (the newer label); another URL of the same mask is a second entry', async () => {
    const store = new ConnectionStore(fresh(), fakeKeychain());
    const first = await store.save({ ...scope, kind: 'postgres', url, label: 'primary' });
    const again = await store.save({ ...scope, kind: 'postgres', url, label: 'primary (monitor)' });
    expect(again.id).toBe(first.id);
    expect(store.list(scope.profile, scope.environment).map((c) => c.label)).toEqual(['primary (monitor)']);
    // Same user and host, another password: masked alike, but a different connection.
    const other = await store.save({ ...scope, kind: 'postgres', url: url.replace('store-canary', 'rotated') });
    expect(other.id).not.toBe(first.id);
    expect(store.list(scope.profile, scope.environment)).toHaveLength(2);
    // The same URL under another environment is its own entry.
    await store.save({ ...scope, environment: 'staging', kind: 'postgres', url });
    expect(store.list(scope.profile, 'staging')).toHaveLength(1);
  });

  it('a damaged connections.json is reported with what to do, without quoting it', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'connections.json'), `{"version":1,"connections":[{"secret":"${PASSWORD}"`);
    const store = new ConnectionStore(dir, fakeKeychain());
    await expect(store.status()).rejects.toThrow(/is not valid JSON .* Move it away/);
    await store.status().catch((err: Error) => expect(err.message).not.toContain(PASSWORD));
    writeFileSync(join(dir, 'connections.json'), '[]');
    expect(() => store.list(scope.profile, scope.environment)).toThrow(/not a saved-connections file/);
  });
});
