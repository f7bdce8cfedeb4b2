/**
 * Local record of check runs, checklist walkthroughs, secret baselines and sign-offs
 * (SQLite in dataDir()). The sign-off journal is append-only — triggers refuse UPDATE and
 * DELETE — and hash-chained: each row carries the previous row's hash, so a row edited or
 * removed behind our back (e.g. with the sqlite3 shell) is detected by `verifyJournal`.
 * The newest rows are guarded twice more: SQLite's AUTOINCREMENT counter remembers the
 * highest seq ever written, and a head file beside the database (`<db>.journal-head.json`,
 * rewritten with every append) records the last seq and hash — so cutting rows off the end
 * is detected too unless the counter and the head file are forged as well. Tamper-evident
 * for honest mistakes and casual edits, not proof against someone who rewrites everything.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CheckResult } from '../../../shared/schemas/check';
import { dataDir } from '../util/data-dir';
import { maskSecretsInText } from '../util/redact';

const GENESIS_HASH = '0'.repeat(64);

export interface StoredRun {
  id: number;
  profile: string;
  environment: string;
  startedAt: string;
  finishedAt: string;
  score: number;
  verdict: string;
  results: CheckResult[];
  /** Only some checks ran (`--only`): its score is not a readiness verdict and never the headline. */
  partial: boolean;
}

export type JournalKind = 'start' | 'phase-start' | 'sign-off';

export interface JournalEntry {
  seq: number;
  walkthroughId: string;
  kind: JournalKind;
  phaseId: string | null;
  stepId: string | null;
  name: string;
  at: string;
  note: string | null;
  prevHash: string;
  hash: string;
}

export interface Walkthrough {
  id: string;
  profile: string;
  environment: string;
  startedAt: string;
  startedBy: string;
}

export interface JournalVerification {
  ok: boolean;
  rows: number;
  /** Rows whose hash or link does not match: edited, inserted or removed behind our back. */
  broken: { seq: number; reason: string }[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, environment TEXT NOT NULL,
  started_at TEXT NOT NULL, finished_at TEXT NOT NULL, score INTEGER NOT NULL, verdict TEXT NOT NULL,
  results_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_target ON runs (profile, environment, id);
CREATE TABLE IF NOT EXISTS walkthroughs (
  id TEXT PRIMARY KEY, profile TEXT NOT NULL, environment TEXT NOT NULL, started_at TEXT NOT NULL, started_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secret_baselines (
  walkthrough_id TEXT NOT NULL REFERENCES walkthroughs(id), name TEXT NOT NULL, length INTEGER NOT NULL,
  fingerprint TEXT NOT NULL, PRIMARY KEY (walkthrough_id, name));
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, walkthrough_id TEXT NOT NULL, kind TEXT NOT NULL, phase_id TEXT,
  step_id TEXT, name TEXT NOT NULL, at TEXT NOT NULL, note TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'the sign-off journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'the sign-off journal is append-only'); END;
`;

export function journalHash(e: Omit<JournalEntry, 'seq' | 'hash'>): string {
  const canonical = JSON.stringify([e.walkthroughId, e.kind, e.phaseId, e.stepId, e.name, e.at, e.note, e.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

interface JournalRow {
  seq: number;
  walkthrough_id: string;
  kind: JournalKind;
  phase_id: string | null;
  step_id: string | null;
  name: string;
  at: string;
  note: string | null;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: JournalRow): JournalEntry => ({ seq: r.seq, walkthroughId: r.walkthrough_id, kind: r.kind, phaseId: r.phase_id, stepId: r.step_id, name: r.name, at: r.at, note: r.note, prevHash: r.prev_hash, hash: r.hash });

export class ChecksStore {
  readonly db: Database.Database;

  readonly headPath: string;

  constructor(readonly path: string = join(dataDir(), 'preflight.sqlite')) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(SCHEMA);
    // Stores made before partial runs were told apart: every old run reads as complete.
    const runColumns = this.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[];
    if (!runColumns.some((c) => c.name === 'partial')) this.db.exec('ALTER TABLE runs ADD COLUMN partial INTEGER NOT NULL DEFAULT 0');
    this.headPath = `${path}.journal-head.json`;
    // A store made before the head file existed adopts its current head once.
    if (!existsSync(this.headPath)) {
      const last = this.db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      if (last) this.writeHead(last.seq, last.hash);
    }
  }

  private writeHead(seq: number, hash: string): void {
    const tmp = `${this.headPath}.tmp`;
    writeFileSync(tmp, JSON.stringify({ seq, hash }) + '\n', { mode: 0o600 });
    renameSync(tmp, this.headPath);
  }

  private readHead(): { seq: number; hash: string } | null {
    try {
      const head = JSON.parse(readFileSync(this.headPath, 'utf8')) as { seq?: unknown; hash?: unknown };
      return typeof head.seq === 'number' && typeof head.hash === 'string' ? { seq: head.seq, hash: head.hash } : null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.db.close();
  }

  saveRun(run: Omit<StoredRun, 'id'>): StoredRun {
    const info = this.db
      .prepare('INSERT INTO runs (profile, environment, started_at, finished_at, score, verdict, results_json, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(run.profile, run.environment, run.startedAt, run.finishedAt, run.score, run.verdict, JSON.stringify(run.results), run.partial ? 1 : 0);
    return { ...run, id: Number(info.lastInsertRowid) };
  }

  private rowToRun(r: { id: number; profile: string; environment: string; started_at: string; finished_at: string; score: number; verdict: string; results_json: string; partial: number }): StoredRun {
    return { id: r.id, profile: r.profile, environment: r.environment, startedAt: r.started_at, finishedAt: r.finished_at, score: r.score, verdict: r.verdict, results: JSON.parse(r.results_json) as CheckResult[], partial: r.partial === 1 };
  }

  /** The newest run; `complete` leaves out partial (`--only`) runs, as every headline must. */
  latestRun(profile: string, environment: string, which: 'any' | 'complete' = 'any'): StoredRun | null {
    const r = this.db.prepare(`SELECT * FROM runs WHERE profile = ? AND environment = ?${which === 'complete' ? ' AND partial = 0' : ''} ORDER BY id DESC LIMIT 1`).get(profile, environment);
    return r ? this.rowToRun(r as Parameters<ChecksStore['rowToRun']>[0]) : null;
  }

  /** The newest run that evaluated exactly these check ids (so "60 → 85" compares like with like). */
  latestComparableRun(profile: string, environment: string, checkIds: readonly string[], beforeId = Number.MAX_SAFE_INTEGER): StoredRun | null {
    const want = [...checkIds].sort().join(',');
    const rows = this.db.prepare('SELECT * FROM runs WHERE profile = ? AND environment = ? AND id < ? ORDER BY id DESC LIMIT 200').all(profile, environment, beforeId) as Parameters<ChecksStore['rowToRun']>[0][];
    for (const row of rows) {
      const run = this.rowToRun(row);
      if (run.results.map((r) => r.id).sort().join(',') === want) return run;
    }
    return null;
  }

  runsSince(profile: string, environment: string, sinceIso: string): StoredRun[] {
    return (this.db.prepare('SELECT * FROM runs WHERE profile = ? AND environment = ? AND started_at >= ? ORDER BY id').all(profile, environment, sinceIso) as Parameters<ChecksStore['rowToRun']>[0][]).map((r) => this.rowToRun(r));
  }

  startWalkthrough(profile: string, environment: string, startedBy: string, baseline: { name: string; length: number; fingerprint: string }[], at = new Date()): Walkthrough {
    const w: Walkthrough = { id: randomUUID(), profile, environment, startedAt: at.toISOString(), startedBy };
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO walkthroughs (id, profile, environment, started_at, started_by) VALUES (?, ?, ?, ?, ?)').run(w.id, profile, environment, w.startedAt, startedBy);
      const insert = this.db.prepare('INSERT INTO secret_baselines (walkthrough_id, name, length, fingerprint) VALUES (?, ?, ?, ?)');
      for (const b of baseline) insert.run(w.id, b.name, b.length, b.fingerprint);
      this.appendUnlocked({ walkthroughId: w.id, kind: 'start', phaseId: 'pre-deploy', stepId: null, name: startedBy, at: w.startedAt, note: `${profile} / ${environment}` });
    })();
    return w;
  }

  currentWalkthrough(profile: string, environment: string): Walkthrough | null {
    const r = this.db.prepare('SELECT * FROM walkthroughs WHERE profile = ? AND environment = ? ORDER BY started_at DESC, rowid DESC LIMIT 1').get(profile, environment) as
      | { id: string; profile: string; environment: string; started_at: string; started_by: string }
      | undefined;
    return r ? { id: r.id, profile: r.profile, environment: r.environment, startedAt: r.started_at, startedBy: r.started_by } : null;
  }

  secretBaseline(walkthroughId: string): { name: string; length: number; fingerprint: string }[] {
    return this.db.prepare('SELECT name, length, fingerprint FROM secret_baselines WHERE walkthrough_id = ? ORDER BY name').all(walkthroughId) as { name: string; length: number; fingerprint: string }[];
  }

  private appendUnlocked(entry: Omit<JournalEntry, 'seq' | 'hash' | 'prevHash'>): JournalEntry {
    // The journal is append-only and exported: a credential typed into a note or a name (a URL
    // with its password, a token) is masked before it is hashed and stored, never kept.
    const e = { ...entry, name: maskSecretsInText(entry.name), note: entry.note === null ? null : maskSecretsInText(entry.note) };
    const last = this.db.prepare('SELECT hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = journalHash({ ...e, prevHash });
    const info = this.db
      .prepare('INSERT INTO journal (walkthrough_id, kind, phase_id, step_id, name, at, note, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.walkthroughId, e.kind, e.phaseId, e.stepId, e.name, e.at, e.note, prevHash, hash);
    const seq = Number(info.lastInsertRowid);
    // Written under the transaction's write lock, so two processes cannot leave it behind the table.
    this.writeHead(seq, hash);
    return { ...e, prevHash, hash, seq };
  }

  /** Appends one row to the chain (in a transaction so two writers cannot fork it). */
  append(e: Omit<JournalEntry, 'seq' | 'hash' | 'prevHash'>): JournalEntry {
    return this.db.transaction(() => this.appendUnlocked(e)).immediate();
  }

  journal(walkthroughId?: string): JournalEntry[] {
    const rows = walkthroughId
      ? this.db.prepare('SELECT * FROM journal WHERE walkthrough_id = ? ORDER BY seq').all(walkthroughId)
      : this.db.prepare('SELECT * FROM journal ORDER BY seq').all();
    return (rows as JournalRow[]).map(toEntry);
  }

  /** Walks the whole chain: every row must link to its predecessor and hash to what it says. */
  verifyJournal(): JournalVerification {
    const rows = this.journal();
    const broken: JournalVerification['broken'] = [];
    let prev = GENESIS_HASH;
    for (const row of rows) {
      if (row.prevHash !== prev) broken.push({ seq: row.seq, reason: 'does not link to the row before it (a row was removed or inserted)' });
      if (journalHash(row) !== row.hash) broken.push({ seq: row.seq, reason: 'its content does not match its hash (the row was edited)' });
      prev = row.hash;
    }
    const last = rows.at(-1) ?? null;
    const lastSeq = last?.seq ?? 0;
    const counter = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").get() as { seq: number } | undefined)?.seq ?? 0;
    const head = this.readHead();
    const highest = Math.max(counter, head?.seq ?? 0);
    if (highest > lastSeq) {
      broken.push({ seq: highest, reason: `rows ${lastSeq + 1}–${highest} were removed from the end of the journal (the newest sign-offs are missing)` });
    } else if (head && last && head.seq === last.seq && head.hash !== last.hash) {
      broken.push({ seq: last.seq, reason: 'the newest row differs from the one Preflight recorded (the row was replaced)' });
    } else if (last && (!head || head.seq < last.seq)) {
      broken.push({ seq: last.seq, reason: `rows after ${head?.seq ?? 0} were not written by Preflight (the journal head file does not know them)` });
    }
    return { ok: broken.length === 0, rows: rows.length, broken };
  }
}
