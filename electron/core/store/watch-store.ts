/**
 * Writes and reads launch-watch sessions (schema in watch-schema.ts). Everything one tick
 * produces — samples, rollups, alert transitions, gaps, target states — is written in ONE
 * transaction, so `kill -9` loses at most the tick in flight and never half of one. Samples use
 * INSERT OR IGNORE on (series, time): a resumed session cannot duplicate a point.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { defaultWatchStorePath, openWatchDatabase, RETENTION } from './watch-schema';

export type SessionStatus = 'running' | 'stopped' | 'completed' | 'failed';
export type AlertState = 'pending' | 'firing' | 'resolved';
export type GapCause = 'stopped' | 'sleep' | 'unreachable' | 'clock';

export interface WatchSessionRow {
  id: string;
  profile: string;
  environment: string;
  profileFile: string;
  startedAt: number;
  plannedEnd: number;
  endedAt: number | null;
  lastTickAt: number | null;
  status: SessionStatus;
  options: Record<string, unknown>;
  verdict: unknown;
}

export interface SamplePoint {
  series: string;
  unit: string;
  t: number;
  v: number | null;
}
export interface AlertTransition {
  rule: string;
  state: AlertState;
  value: number | null;
  at: number;
  message: string;
}
export interface GapRecord {
  target: string | null;
  from: number;
  to: number | null;
  cause: GapCause;
  detail: string;
}
export interface TargetState {
  target: string;
  status: string;
  skipped: number;
  failures: number;
  lastError: string | null;
}
export interface CheckRunRecord {
  at: number;
  score: number;
  verdict: string;
  failing: string[];
}
export interface MarkerRow {
  id: number;
  profile: string | null;
  environment: string | null;
  at: number;
  label: string;
  source: string;
}

/** Everything one tick produced; written atomically. */
export interface TickWrite {
  at: number;
  samples?: SamplePoint[];
  alerts?: AlertTransition[];
  gaps?: GapRecord[];
  /** Gaps still open (a target down) that this tick closes: by id, with their end. */
  closeGaps?: { id: number; to: number }[];
  targets?: TargetState[];
  checkRun?: CheckRunRecord;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export class WatchStore {
  readonly db: Database.Database;
  private readonly seriesIds = new Map<string, number>();
  private readonly stmts;

  constructor(readonly path: string = defaultWatchStorePath()) {
    this.db = openWatchDatabase(path);
    const db = this.db;
    this.stmts = {
      seriesGet: db.prepare<[string, string], { id: number }>('SELECT id FROM watch_series WHERE session_id = ? AND name = ?'),
      seriesAdd: db.prepare('INSERT INTO watch_series (session_id, name, unit) VALUES (?, ?, ?) ON CONFLICT (session_id, name) DO NOTHING'),
      sample: db.prepare('INSERT OR IGNORE INTO watch_samples (series_id, t, v) VALUES (?, ?, ?)'),
      rollup: db.prepare(
        `INSERT INTO watch_rollups (series_id, minute, min, max, sum, count) VALUES (@s, @m, @v, @v, @v, 1)
         ON CONFLICT (series_id, minute) DO UPDATE SET min = MIN(min, @v), max = MAX(max, @v), sum = sum + @v, count = count + 1`,
      ),
      alert: db.prepare('INSERT INTO watch_alerts (session_id, rule, state, value, at, message) VALUES (?, ?, ?, ?, ?, ?)'),
      gap: db.prepare('INSERT INTO watch_gaps (session_id, target, from_t, to_t, cause, detail) VALUES (?, ?, ?, ?, ?, ?)'),
      closeGap: db.prepare('UPDATE watch_gaps SET to_t = ? WHERE id = ? AND session_id = ?'),
      target: db.prepare(
        `INSERT INTO watch_targets (session_id, target, status, skipped, failures, last_error) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (session_id, target) DO UPDATE SET status = excluded.status, skipped = excluded.skipped, failures = excluded.failures, last_error = excluded.last_error`,
      ),
      checkRun: db.prepare('INSERT INTO watch_check_runs (session_id, at, score, verdict, failing_json) VALUES (?, ?, ?, ?, ?)'),
      lastTick: db.prepare('UPDATE watch_sessions SET last_tick_at = MAX(COALESCE(last_tick_at, 0), ?) WHERE id = ?'),
    };
  }

  // ---- sessions ---------------------------------------------------------------------------

  createSession(s: { profile: string; environment: string; profileFile: string; startedAt: number; plannedEnd: number; options: Record<string, unknown> }): WatchSessionRow {
    const id = `w-${new Date(s.startedAt).toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomUUID().slice(0, 8)}`;
    this.db
      .prepare('INSERT INTO watch_sessions (id, profile, environment, profile_file, started_at, planned_end, status, options_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, s.profile, s.environment, s.profileFile, s.startedAt, s.plannedEnd, 'running', JSON.stringify(s.options));
    return this.session(id)!;
  }

  session(id: string): WatchSessionRow | null {
    const row = this.db.prepare('SELECT * FROM watch_sessions WHERE id = ?').get(id) as RawSession | undefined;
    return row ? toSession(row) : null;
  }

  sessions(filter: { profile?: string; environment?: string } = {}): WatchSessionRow[] {
    const rows = this.db
      .prepare('SELECT * FROM watch_sessions WHERE (@p IS NULL OR profile = @p) AND (@e IS NULL OR environment = @e) ORDER BY started_at DESC LIMIT 200')
      .all({ p: filter.profile ?? null, e: filter.environment ?? null }) as RawSession[];
    return rows.map(toSession);
  }

  /** The session `--resume` continues: the newest unfinished one for this profile and environment. */
  resumable(profile: string, environment: string): WatchSessionRow | null {
    const row = this.db
      .prepare("SELECT * FROM watch_sessions WHERE profile = ? AND environment = ? AND status IN ('running','stopped') ORDER BY started_at DESC LIMIT 1")
      .get(profile, environment) as RawSession | undefined;
    return row ? toSession(row) : null;
  }

  setStatus(id: string, status: SessionStatus, at: number, verdict?: unknown): void {
    this.db
      .prepare('UPDATE watch_sessions SET status = ?, ended_at = ?, verdict_json = COALESCE(?, verdict_json) WHERE id = ?')
      .run(status, status === 'running' ? null : at, verdict === undefined ? null : JSON.stringify(verdict), id);
  }

  // ---- one tick ---------------------------------------------------------------------------

  private seriesId(sessionId: string, name: string, unit: string): number {
    const key = `${sessionId}\u0000${name}`;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      this.stmts.seriesAdd.run(sessionId, name, unit);
      id = this.stmts.seriesGet.get(sessionId, name)!.id;
      this.seriesIds.set(key, id);
    }
    return id;
  }

  /** Writes one tick atomically; returns the ids of the gaps it opened (in order). */
  writeTick(sessionId: string, tick: TickWrite): number[] {
    return this.db.transaction(() => this.writeTickRows(sessionId, tick))();
  }

  /** The same rows without a transaction of their own (the benchmark's autocommit side). */
  writeTickRows(sessionId: string, tick: TickWrite): number[] {
    const s = this.stmts;
    for (const p of tick.samples ?? []) {
      const seriesId = this.seriesId(sessionId, p.series, p.unit);
      const inserted = s.sample.run(seriesId, Math.round(p.t), p.v).changes === 1;
      if (inserted && p.v !== null && Number.isFinite(p.v)) s.rollup.run({ s: seriesId, m: Math.floor(p.t / MINUTE) * MINUTE, v: p.v });
    }
    for (const a of tick.alerts ?? []) s.alert.run(sessionId, a.rule, a.state, a.value, a.at, a.message);
    const opened = (tick.gaps ?? []).map((g) => Number(s.gap.run(sessionId, g.target, g.from, g.to, g.cause, g.detail).lastInsertRowid));
    for (const c of tick.closeGaps ?? []) s.closeGap.run(c.to, c.id, sessionId);
    for (const t of tick.targets ?? []) s.target.run(sessionId, t.target, t.status, t.skipped, t.failures, t.lastError);
    if (tick.checkRun) s.checkRun.run(sessionId, tick.checkRun.at, tick.checkRun.score, tick.checkRun.verdict, JSON.stringify(tick.checkRun.failing));
    s.lastTick.run(tick.at, sessionId);
    return opened;
  }

  // ---- markers ----------------------------------------------------------------------------

  addMarker(m: { profile: string | null; environment: string | null; at: number; label: string; source: string }): MarkerRow {
    const id = Number(this.db.prepare('INSERT INTO watch_markers (profile, environment, at, label, source) VALUES (?, ?, ?, ?, ?)').run(m.profile, m.environment, m.at, m.label, m.source).lastInsertRowid);
    return { id, ...m };
  }

  /** Markers for this target (or for any target) in [from, to], oldest first. */
  markers(profile: string, environment: string, from: number, to: number, afterId = 0): MarkerRow[] {
    return this.db
      .prepare(
        `SELECT * FROM watch_markers WHERE id > ? AND at BETWEEN ? AND ?
         AND (profile IS NULL OR profile = ?) AND (environment IS NULL OR environment = ?) ORDER BY at, id`,
      )
      .all(afterId, from, to, profile, environment) as MarkerRow[];
  }

  // ---- reads ------------------------------------------------------------------------------

  series(sessionId: string): { id: number; name: string; unit: string }[] {
    return this.db.prepare('SELECT id, name, unit FROM watch_series WHERE session_id = ? ORDER BY name').all(sessionId) as { id: number; name: string; unit: string }[];
  }

  /** Raw points of one series in [from, to], oldest first (streamed: a day is 17,280 rows). */
  *points(sessionId: string, name: string, from = 0, to = Number.MAX_SAFE_INTEGER): Generator<{ t: number; v: number | null }> {
    const id = this.stmts.seriesGet.get(sessionId, name)?.id;
    if (id === undefined) return;
    yield* this.db.prepare('SELECT t, v FROM watch_samples WHERE series_id = ? AND t BETWEEN ? AND ? ORDER BY t').iterate(id, from, to) as Iterable<{ t: number; v: number | null }>;
  }

  sampleCount(sessionId: string, name?: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM watch_samples JOIN watch_series s ON s.id = series_id WHERE s.session_id = ? AND (? IS NULL OR s.name = ?)')
      .get(sessionId, name ?? null, name ?? null) as { n: number };
    return row.n;
  }

  rollups(sessionId: string, name: string): { minute: number; min: number; max: number; avg: number; count: number }[] {
    const id = this.stmts.seriesGet.get(sessionId, name)?.id;
    if (id === undefined) return [];
    return this.db.prepare('SELECT minute, min, max, sum / count AS avg, count FROM watch_rollups WHERE series_id = ? ORDER BY minute').all(id) as never;
  }

  alerts(sessionId: string): (AlertTransition & { id: number })[] {
    return this.db.prepare('SELECT id, rule, state, value, at, message FROM watch_alerts WHERE session_id = ? ORDER BY at, id').all(sessionId) as never;
  }

  gaps(sessionId: string): (GapRecord & { id: number })[] {
    return this.db.prepare('SELECT id, target, from_t AS "from", to_t AS "to", cause, detail FROM watch_gaps WHERE session_id = ? ORDER BY from_t, id').all(sessionId) as never;
  }

  targets(sessionId: string): TargetState[] {
    return this.db.prepare('SELECT target, status, skipped, failures, last_error AS lastError FROM watch_targets WHERE session_id = ? ORDER BY target').all(sessionId) as never;
  }

  checkRuns(sessionId: string): CheckRunRecord[] {
    const rows = this.db.prepare('SELECT at, score, verdict, failing_json FROM watch_check_runs WHERE session_id = ? ORDER BY at').all(sessionId) as { at: number; score: number; verdict: string; failing_json: string }[];
    return rows.map((r) => ({ at: r.at, score: r.score, verdict: r.verdict, failing: JSON.parse(r.failing_json) as string[] }));
  }

  /** Deletes what retention no longer keeps (RETENTION); returns the rows removed. */
  prune(now = Date.now()): { samples: number; sessions: number } {
    return this.db.transaction(() => {
      const samples = this.db.prepare('DELETE FROM watch_samples WHERE t < ?').run(now - RETENTION.rawSamplesDays * DAY).changes;
      const sessions = this.db.prepare("DELETE FROM watch_sessions WHERE status != 'running' AND COALESCE(ended_at, last_tick_at, started_at) < ?").run(now - RETENTION.sessionDays * DAY).changes;
      this.db.prepare('DELETE FROM watch_markers WHERE at < ?').run(now - RETENTION.sessionDays * DAY);
      return { samples, sessions };
    })();
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface RawSession {
  id: string;
  profile: string;
  environment: string;
  profile_file: string;
  started_at: number;
  planned_end: number;
  ended_at: number | null;
  last_tick_at: number | null;
  status: SessionStatus;
  options_json: string;
  verdict_json: string | null;
}

function toSession(r: RawSession): WatchSessionRow {
  return {
    id: r.id,
    profile: r.profile,
    environment: r.environment,
    profileFile: r.profile_file,
    startedAt: r.started_at,
    plannedEnd: r.planned_end,
    endedAt: r.ended_at,
    lastTickAt: r.last_tick_at,
    status: r.status,
    options: JSON.parse(r.options_json) as Record<string, unknown>,
    verdict: r.verdict_json ? (JSON.parse(r.verdict_json) as unknown) : null,
  };
}
