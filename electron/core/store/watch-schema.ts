/**
 * The launch-watch store's schema (SQLite, WAL). Samples are keyed by (series, time) so a
 * resumed session can never write the same point twice; 1-minute rollups carry min, max, sum
 * and count for day views; sessions, alert transitions, gaps, deploy markers and passive check
 * runs live beside them. Retention (see RETENTION and docs/monitoring.md) keeps it bounded.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { dataDir } from '../util/data-dir';

/** How long rows are kept, counted from when they were written. */
export const RETENTION = {
  /** Raw samples (5 s points): a 24 h watch is reported on for a month. */
  rawSamplesDays: 30,
  /** Rollups, alerts, gaps, markers, check runs and the session rows themselves. */
  sessionDays: 180,
} as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS watch_sessions (
  id TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  environment TEXT NOT NULL,
  profile_file TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  planned_end INTEGER NOT NULL,
  ended_at INTEGER,
  last_tick_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running','stopped','completed','failed')),
  options_json TEXT NOT NULL,
  verdict_json TEXT
);
CREATE INDEX IF NOT EXISTS watch_sessions_by_target ON watch_sessions (profile, environment, started_at);
CREATE TABLE IF NOT EXISTS watch_series (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES watch_sessions(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  UNIQUE (session_id, name)
);
CREATE TABLE IF NOT EXISTS watch_samples (
  series_id INTEGER NOT NULL REFERENCES watch_series(id) ON DELETE CASCADE,
  t INTEGER NOT NULL,
  v REAL,
  PRIMARY KEY (series_id, t)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_rollups (
  series_id INTEGER NOT NULL REFERENCES watch_series(id) ON DELETE CASCADE,
  minute INTEGER NOT NULL,
  min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (series_id, minute)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_alerts (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES watch_sessions(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','firing','resolved')),
  value REAL,
  at INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_alerts_by_session ON watch_alerts (session_id, at);
CREATE TABLE IF NOT EXISTS watch_gaps (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES watch_sessions(id) ON DELETE CASCADE,
  target TEXT,
  from_t INTEGER NOT NULL,
  to_t INTEGER,
  cause TEXT NOT NULL CHECK (cause IN ('stopped','sleep','unreachable','clock')),
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_gaps_by_session ON watch_gaps (session_id, from_t);
CREATE TABLE IF NOT EXISTS watch_markers (
  id INTEGER PRIMARY KEY,
  profile TEXT,
  environment TEXT,
  at INTEGER NOT NULL,
  label TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_markers_by_time ON watch_markers (at);
CREATE TABLE IF NOT EXISTS watch_check_runs (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES watch_sessions(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  score INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  failing_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_targets (
  session_id TEXT NOT NULL REFERENCES watch_sessions(id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  skipped INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  PRIMARY KEY (session_id, target)
) WITHOUT ROWID;
`;

/** The default store: one file in the data dir, shared by `watch`, `mark`, `report`, the app and `serve`. */
export function defaultWatchStorePath(): string {
  return join(dataDir(), 'watch.sqlite');
}

export function openWatchDatabase(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL: a committed tick survives a crash of the process (kill -9); only an OS crash
  // or power cut may lose the last ticks. Sign-offs live in the checks store with FULL.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}
