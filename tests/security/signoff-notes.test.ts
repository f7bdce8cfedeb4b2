/**
 * Sign-off notes go into an append-only, hash-chained journal and into md/html exports: a
 * credential typed into a note is masked before it is hashed and stored, so it is never kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { walkthroughHtml, walkthroughMarkdown } from '../../electron/core/checklist/export';
import { signOff, startPhase, startWalkthrough, walkthroughView } from '../../electron/core/checklist/walkthrough';
import { loadProfile, type LoadedProfile } from '../../electron/core/profile/load';
import { ChecksStore } from '../../electron/core/store/checks-store';
import { envText, profileYaml, tempDir } from '../checks/fixtures';

const CHECKLIST = `checklist:
  phases:
    - id: pre-deploy
      title: Pre-deploy
      steps:
        - { id: tests-pass, title: Tests pass locally, manual: true }
        - { id: db-ready, title: Database ready, manual: true }`;

const CANARIES = ['NotePgPw1', 'NoteTok2', 'NoteJwtBody3', 'NoteRedisPw4'];

let dir: string;
let loaded: LoadedProfile;
let store: ChecksStore;
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir, 'backend.env'), envText());
  writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env', checklist: CHECKLIST }));
  loaded = loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS });
  store = new ChecksStore(join(dir, 'store.sqlite'));
});
afterAll(() => store.close());

describe('sign-off notes', () => {
  it('are stored, hashed and exported with their credentials masked, the rest kept', async () => {
    await startWalkthrough(store, loaded, 'prod', 'ana');
    const entry = signOff(store, loaded.profile, 'prod', 'tests-pass', 'ana', 'checked against postgres://app:NotePgPw1@db.internal:5432/prod with api token=NoteTok2, ok');
    signOff(store, loaded.profile, 'prod', 'db-ready', 'ana', 'used Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.NoteJwtBody3.sig and redis://:NoteRedisPw4@cache:6379');
    startPhase(store, loaded.profile, 'prod', 'pre-deploy', 'ana', 'phase note');

    expect(entry.note).toBe('checked against postgres://app:*****@db.internal:5432/prod with api token=*****, ok');
    const journal = JSON.stringify(store.journal());
    for (const c of CANARIES) expect(journal).not.toContain(c);
    // The chain verifies: what was hashed is what was stored (the masked text).
    expect(store.verifyJournal().broken).toEqual([]);

    const view = walkthroughView(store, loaded.profile, 'prod');
    const exports = `${walkthroughMarkdown(view)}\n${walkthroughHtml(view)}`;
    expect(exports).toContain('postgres://app:*****@db.internal:5432/prod');
    for (const c of CANARIES) expect(exports).not.toContain(c);

    // Nor in the database file itself (the WAL included).
    store.close();
    const bytes = ['store.sqlite', 'store.sqlite-wal']
      .map((f) => {
        try {
          return readFileSync(join(dir, f)).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    expect(bytes).toContain('db.internal');
    for (const c of CANARIES) expect(bytes).not.toContain(c);
    store = new ChecksStore(join(dir, 'store.sqlite'));
  });
});
