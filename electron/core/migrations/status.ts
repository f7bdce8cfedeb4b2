/** `migrate status`: each file beside its history, and the checksum guard every command runs. */
import type { MigrationStatus, MigrationStatusRow } from '../../../shared/schemas/migrations';
import type { MigrationFile } from './migration-files';
import { alembicRevision, HISTORY_TABLE, historyExists, readHistory, type HistoryRow, type Queryable } from './target-facts';

export class ChecksumMismatchError extends Error {
  readonly code = 'checksum_mismatch';
  constructor(readonly mismatches: { version: string; fileName: string; applied: string; now: string }[]) {
    super(
      `Applied migration${mismatches.length > 1 ? 's were' : ' was'} edited after it ran: ` +
        mismatches.map((m) => `${m.fileName} (applied sha256 ${m.applied.slice(0, 12)}…, file now ${m.now.slice(0, 12)}…)`).join('; ') +
        '. Restore the file as applied and put the change in a new migration; nothing was run.',
    );
  }
}

/** The latest successful run of each version. */
export function appliedVersions(history: HistoryRow[]): Map<string, HistoryRow> {
  const out = new Map<string, HistoryRow>();
  for (const row of history) if (row.outcome === 'succeeded') out.set(row.version, row);
  return out;
}

export function checksumMismatches(files: MigrationFile[], history: HistoryRow[]) {
  const applied = appliedVersions(history);
  return files.flatMap((f) => {
    const row = applied.get(f.version);
    return row && row.sha256 !== f.sha256 ? [{ version: f.version, fileName: f.fileName, applied: row.sha256, now: f.sha256 }] : [];
  });
}

export function assertChecksums(files: MigrationFile[], history: HistoryRow[]): void {
  const bad = checksumMismatches(files, history);
  if (bad.length) throw new ChecksumMismatchError(bad);
}

export function pendingFiles(files: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
  const applied = appliedVersions(history);
  return files.filter((f) => !applied.has(f.version));
}

/** Pending files whose version is below the newest applied version; apply still runs them, in version order. */
export function outOfOrderFiles(files: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
  const applied = appliedVersions(history);
  const newest = Math.max(-Infinity, ...[...applied.keys()].map(Number));
  return pendingFiles(files, history).filter((f) => Number(f.version) < newest);
}

export function statusRows(files: MigrationFile[], history: HistoryRow[]): MigrationStatusRow[] {
  const applied = appliedVersions(history);
  const last = new Map<string, HistoryRow>();
  for (const row of history) last.set(row.version, row);
  const rows: MigrationStatusRow[] = files.map((f) => {
    const ok = applied.get(f.version);
    const latest = last.get(f.version) ?? null;
    const state = ok ? (ok.sha256 === f.sha256 ? 'applied' : 'checksum_mismatch') : latest?.outcome === 'failed' ? 'failed' : 'pending';
    const shown = ok ?? latest;
    return {
      version: f.version,
      name: f.name,
      fileName: f.fileName,
      state,
      sha256: f.sha256,
      appliedSha256: ok?.sha256 ?? null,
      appliedAt: shown?.appliedAt ?? null,
      appliedBy: shown?.appliedBy ?? null,
      durationMs: shown?.durationMs ?? null,
      lastOutcome: latest?.outcome ?? null,
    };
  });
  for (const [version, row] of applied) {
    if (files.some((f) => f.version === version)) continue;
    rows.push({ version, name: row.name, fileName: null, state: 'file_missing', sha256: null, appliedSha256: row.sha256, appliedAt: row.appliedAt, appliedBy: row.appliedBy, durationMs: row.durationMs, lastOutcome: row.outcome });
  }
  return rows.sort((a, b) => Number(a.version) - Number(b.version));
}

/** Reads history and reports; unlike the other commands it shows mismatches instead of stopping, so the person can see them. */
export async function readMigrationStatus(db: Queryable, files: MigrationFile[]): Promise<MigrationStatus> {
  const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
  const history = await readHistory(db);
  const migrations = statusRows(files, history);
  return {
    database,
    historyTable: HISTORY_TABLE,
    historyExists: await historyExists(db),
    alembicRevision: await alembicRevision(db),
    migrations,
    pending: migrations.filter((m) => m.state === 'pending' || m.state === 'failed').length,
    checksumMismatches: checksumMismatches(files, history).map((m) => m.fileName),
    outOfOrder: outOfOrderFiles(files, history).map((f) => f.fileName),
  };
}
