import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { walkthroughHtml, walkthroughMarkdown } from '../../electron/core/checklist/export';
import { signOff, startPhase, startWalkthrough, walkthroughView } from '../../electron/core/checklist/walkthrough';
import { runChecks } from '../../electron/core/engine/run-checks';
import { loadProfile, type LoadedProfile } from '../../electron/core/profile/load';
import { ChecksStore, journalHash } from '../../electron/core/store/checks-store';
import { launchChromium } from '../harness/browser';
import { envText, profileYaml, tempDir, writeTree } from './fixtures';

process.env.PREFLIGHT_DATA_DIR = tempDir('pf-data-');

const CHECKLIST = `checklist:
  phases:
    - id: pre-deploy
      title: Pre-deploy
      steps:
        - { id: env-ready, title: Backend variables set, checks: [env.required, repo.no-alert] }
        - { id: tests-pass, title: Tests pass locally, manual: true }
    - id: deploy
      title: Deploy
      steps:
        - { id: env-after-deploy, title: Variables still right after the deploy, checks: [env.required] }
        - { id: approve, title: Change approved <by the lead> & recorded, manual: true }`;

let dir: string;
let loaded: LoadedProfile;
let store: ChecksStore;
const envFile = () => join(dir, 'backend.env');
const check = () => runChecks({ loaded, environment: 'prod', only: ['env.required', 'repo.no-alert'], store, env: {} });

beforeAll(() => {
  dir = tempDir();
  writeFileSync(envFile(), envText());
  writeTree(join(dir, 'repo'), { 'frontend/app/a.tsx': 'export const a = 1;\n' });
  writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env', repo: 'repo', checklist: CHECKLIST }));
  loaded = loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS });
  store = new ChecksStore(join(dir, 'store.sqlite'));
});
afterAll(() => store.close());

const step = (id: string) => walkthroughView(store, loaded.profile, 'prod').phases.flatMap((p) => p.steps).find((s) => s.id === id)!;

describe('checklist walkthrough', () => {
  it('automated steps tick only on passing evidence newer than their phase start; manual steps need a sign-off', async () => {
    await check(); // before the walkthrough: must not count
    await startWalkthrough(store, loaded, 'prod', 'ana');
    expect(step('env-ready').state).toBe('pending');
    expect(step('env-after-deploy').state).toBe('not_started');

    const run1 = await check();
    expect(step('env-ready')).toMatchObject({ state: 'done', kind: 'automated' });
    expect(step('env-ready').checks.map((c) => [c.id, c.status, c.runId])).toEqual([
      ['env.required', 'pass', run1.runId],
      ['repo.no-alert', 'pass', run1.runId],
    ]);

    startPhase(store, loaded.profile, 'prod', 'deploy', 'ana');
    expect(step('env-after-deploy').state).toBe('pending'); // run1 is older than the deploy phase

    writeFileSync(envFile(), envText({ ENVIRONMENT: 'staging' }));
    await check();
    expect(step('env-after-deploy').state).toBe('failing');
    expect(step('env-ready').state).toBe('failing'); // latest evidence wins

    writeFileSync(envFile(), envText());
    await check();
    expect(step('env-after-deploy').state).toBe('done');

    expect(step('tests-pass')).toMatchObject({ state: 'pending', kind: 'manual', signOff: null });
    const entry = signOff(store, loaded.profile, 'prod', 'tests-pass', 'Ana Lima', 'CI run 1234 green');
    expect(step('tests-pass')).toMatchObject({ state: 'done', signOff: { name: 'Ana Lima', note: 'CI run 1234 green', seq: entry.seq } });
    expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => signOff(store, loaded.profile, 'prod', 'env-ready', 'Ana', null)).toThrow(/automated/);
    expect(() => signOff(store, loaded.profile, 'prod', 'nope', 'Ana', null)).toThrow(/not in the profile/);
    signOff(store, loaded.profile, 'prod', 'approve', 'Bo <lead>', 'ok & "done"');

    const view = walkthroughView(store, loaded.profile, 'prod');
    expect(view.done).toBe(4);
    expect(view.total).toBe(4);
    expect(view.integrity).toMatchObject({ ok: true, broken: [] });
  });

  it('the headline comes only from the latest complete run; a newer --only run is labelled partial everywhere', async () => {
    // Every check of the profile; the database is unreachable, so the complete run scores low.
    const full = await runChecks({ loaded, environment: 'prod', store, env: { TEST_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(full.partial).toBe(false);
    const partial = await check();
    expect(partial.partial).toBe(true);
    expect(partial.score).not.toBe(full.score);
    const view = walkthroughView(store, loaded.profile, 'prod');
    expect(view.latestRun).toMatchObject({ runId: full.runId, score: full.score });
    expect(view.latestPartialRun).toMatchObject({ runId: partial.runId, checks: 2, score: partial.score });
    const md = walkthroughMarkdown(view, store.latestRun('test-stack', 'prod', 'complete')!.results);
    expect(md).toContain(`Readiness: ${full.score}/100`);
    expect(md).not.toContain(`Readiness: ${partial.score}/100`);
    expect(md).toMatch(new RegExp(`partial run ${partial.runId} \\(2 chosen checks.*${partial.score}/100 over those checks only — partial, not a readiness verdict`));
    expect(walkthroughHtml(view, [])).toMatch(/<strong>partial<\/strong>, not a readiness verdict/);
  });

  it('exports contain every step, the sign-offs and the score; the HTML is well-formed and opens in a browser', async () => {
    const view = walkthroughView(store, loaded.profile, 'prod');
    const results = store.latestRun('test-stack', 'prod', 'complete')!.results;
    const md = walkthroughMarkdown(view, results);
    const html = walkthroughHtml(view, results);
    for (const s of loaded.profile.checklist!.phases.flatMap((p) => p.steps)) {
      expect(md).toContain(s.id);
      expect(md).toContain(s.title);
      expect(html).toContain(`data-step="${s.id}"`);
    }
    expect(md).toContain('signed off by Ana Lima');
    expect(md).toContain(`Readiness: ${view.latestRun!.score}/100`);
    expect(md).toMatch(/Sign-off journal: intact/);
    expect(XMLValidator.validate(html.replace('<!DOCTYPE html>', ''))).toBe(true);
    expect(html).toContain('Change approved &lt;by the lead&gt; &amp; recorded');
    expect(html).not.toMatch(/<script|<link|src=/);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent(html);
      expect(await page.locator('tr[data-step]').count()).toBe(4);
      expect(await page.locator('tr[data-step="tests-pass"] td').nth(3).innerText()).toContain('Ana Lima');
      expect(await page.title()).toBe('Launch checklist: test-stack / prod');
    } finally {
      await browser.close();
    }
  });

  it('the journal is append-only, and a row edited or removed behind its back is detected and shown', () => {
    expect(() => store.db.prepare("UPDATE journal SET note = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);

    // Someone edits the file with another tool, dropping the triggers first.
    const raw = new Database(store.path);
    raw.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;');
    const target = raw.prepare("SELECT seq FROM journal WHERE step_id = 'tests-pass'").get() as { seq: number };
    raw.prepare("UPDATE journal SET name = 'Mallory' WHERE seq = ?").run(target.seq);
    raw.close();

    const edited = store.verifyJournal();
    expect(edited.ok).toBe(false);
    expect(edited.broken).toEqual([{ seq: target.seq, reason: expect.stringMatching(/edited/) }]);
    const view = walkthroughView(store, loaded.profile, 'prod');
    expect(view.integrity.ok).toBe(false);
    expect(walkthroughMarkdown(view)).toContain(`TAMPERED** — row ${target.seq}`);
    expect(view.phases[0]!.steps.find((s) => s.id === 'tests-pass')!.signOff).toMatchObject({ name: 'Mallory', intact: false });
    expect(walkthroughMarkdown(view)).toContain('signed off by Mallory');
    expect(walkthroughMarkdown(view)).toMatch(/Mallory.*FAILS the hash check/);
    expect(walkthroughHtml(view)).toContain('class="tampered"');

    const raw2 = new Database(store.path);
    const first = raw2.prepare('SELECT min(seq) AS s FROM journal').get() as { s: number };
    raw2.prepare('DELETE FROM journal WHERE seq = ?').run(first.s);
    raw2.close();
    const removed = store.verifyJournal();
    expect(removed.broken.some((b) => /removed or inserted/.test(b.reason))).toBe(true);
  });

  it('cutting the newest rows off, even with the AUTOINCREMENT counter reset, and forging an appended row are detected', () => {
    const dir = tempDir('pf-journal-');
    const path = join(dir, 'j.sqlite');
    const own = new ChecksStore(path);
    const w = own.startWalkthrough('p', 'prod', 'Ana', []);
    for (const step of ['a', 'b', 'c']) own.append({ walkthroughId: w.id, kind: 'sign-off', phaseId: 'pre-deploy', stepId: step, name: 'Ana', at: new Date().toISOString(), note: null });
    expect(own.verifyJournal()).toEqual({ ok: true, rows: 4, broken: [] });

    const raw = new Database(path);
    raw.exec('DROP TRIGGER journal_no_delete;');
    raw.prepare('DELETE FROM journal WHERE seq > 2').run();
    expect(own.verifyJournal().broken).toEqual([{ seq: 4, reason: expect.stringMatching(/^rows 3–4 were removed from the end/) }]);
    // Covering the tracks in the database too: the head file beside it still knows.
    raw.prepare("UPDATE sqlite_sequence SET seq = 2 WHERE name = 'journal'").run();
    expect(own.verifyJournal().broken).toEqual([{ seq: 4, reason: expect.stringMatching(/^rows 3–4 were removed from the end/) }]);

    // A row appended with a valid hash by another tool links fine but is unknown to the head file.
    const fresh = new ChecksStore(join(dir, 'k.sqlite'));
    const w2 = fresh.startWalkthrough('p', 'prod', 'Ana', []);
    const last = fresh.journal().at(-1)!;
    const forged = { walkthroughId: w2.id, kind: 'sign-off' as const, phaseId: 'pre-deploy', stepId: 'x', name: 'Mallory', at: new Date().toISOString(), note: null, prevHash: last.hash };
    const raw2 = new Database(join(dir, 'k.sqlite'));
    raw2.prepare('INSERT INTO journal (walkthrough_id, kind, phase_id, step_id, name, at, note, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(forged.walkthroughId, forged.kind, forged.phaseId, forged.stepId, forged.name, forged.at, forged.note, forged.prevHash, journalHash(forged));
    raw.close();
    raw2.close();
    expect(fresh.verifyJournal().broken).toEqual([{ seq: 2, reason: expect.stringMatching(/not written by Preflight/) }]);
    own.close();
    fresh.close();
  });
});
