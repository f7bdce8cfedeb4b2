/** `migrate status`: each file beside its history, and the checksum guard every command runs. */
import type { MigrationMismatch, MigrationStatus, MigrationStatusRow } from '../../../shared/schemas/migrations';
import type { MigrationFile } from './migration-files';
import { alembicRevision, HISTORY_TABLE, historyExists, readHistory, type HistoryRow, type Queryable } from './target-facts';

const sha = (hex: string) => `${hex.slice(0, 12)}…`;
const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** The one wording of a mismatch, for the error, `migrate status`, verify, the check and the page. */
function mismatchMessage(m: Omit<MigrationMismatch, 'message'>): string {
  if (m.kind === 'edited') return `${m.fileName} was edited after it ran (checksum differs): applied ${m.appliedAt} with sha256 ${sha(m.appliedSha256)}, the file is now ${sha(m.sha256)}.`;
  return `version ${m.version} is a different migration in the folder: the database applied ${m.appliedFileName} (sha256 ${sha(m.appliedSha256)}, at ${m.appliedAt}); the folder has ${m.fileName} (sha256 ${sha(m.sha256)}).`;
}

export class ChecksumMismatchError extends Error {
  readonly code = 'checksum_mismatch';
  constructor(readonly mismatches: MigrationMismatch[]) {
    const edited = mismatches.filter((m) => m.kind === 'edited');
    const different = mismatches.filter((m) => m.kind === 'different_migration');
    const parts: string[] = [];
    if (edited.length) {
      parts.push(
        `Applied ${plural(edited.length, 'migration was', 'migrations were')} edited after ${plural(edited.length, 'it', 'they')} ran: ` +
          edited.map((m) => `${m.fileName} (applied sha256 ${sha(m.appliedSha256)}, file now ${sha(m.sha256)})`).join('; ') +
          '. Restore the file as applied and put the change in a new migration.',
      );
    }
    if (different.length) {
      parts.push(
        `The folder holds ${plural(different.length, 'a different migration', 'different migrations')} under ${plural(different.length, 'a version', 'versions')} the database already applied: ` +
          different.map((m) => `${m.version}: applied ${m.appliedFileName} (sha256 ${sha(m.appliedSha256)}, at ${m.appliedAt}), in the folder ${m.fileName} (sha256 ${sha(m.sha256)})`).join('; ') +
          '. Give the new migration a version of its own, or open the folder the applied migrations came from.',
      );
    }
    super(`${parts.join(' ')} Nothing was run.`);
  }
}

/** The latest successful run of each version. */
export function appliedVersions(history: HistoryRow[]): Map<string, HistoryRow> {
  const out = new Map<string, HistoryRow>();
  for (const row of history) if (row.outcome === 'succeeded') out.set(row.version, row);
  return out;
}

/** The history's file name for a row: `NNNN_name.sql`, as the folder would hold it. */
const appliedFileName = (row: HistoryRow) => `${row.version}_${row.name}.sql`;

/**
 * Folder files whose version was applied with other bytes. Same name: the file was edited after
 * it ran. Another name: it is another migration that reuses an applied version number.
 */
export function checksumMismatches(files: MigrationFile[], history: HistoryRow[]): MigrationMismatch[] {
  const applied = appliedVersions(history);
  return files.flatMap((f) => {
    const row = applied.get(f.version);
    if (!row || row.sha256 === f.sha256) return [];
    const m = { version: f.version, kind: row.name === f.name ? ('edited' as const) : ('different_migration' as const), fileName: f.fileName, sha256: f.sha256, appliedFileName: appliedFileName(row), appliedSha256: row.sha256, appliedAt: row.appliedAt };
    return [{ ...m, message: mismatchMessage(m) }];
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
function outOfOrderFiles(files: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
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
    const state = ok ? (ok.sha256 === f.sha256 ? 'applied' : ok.name === f.name ? 'checksum_mismatch' : 'different_migration') : latest?.outcome === 'failed' ? 'failed' : 'pending';
    const shown = ok ?? latest;
    return {
      version: f.version,
      name: f.name,
      fileName: f.fileName,
      state,
      sha256: f.sha256,
      appliedSha256: ok?.sha256 ?? null,
      appliedName: ok?.name ?? null,
      appliedAt: shown?.appliedAt ?? null,
      appliedBy: shown?.appliedBy ?? null,
      durationMs: shown?.durationMs ?? null,
      lastOutcome: latest?.outcome ?? null,
    };
  });
  for (const [version, row] of applied) {
    if (files.some((f) => f.version === version)) continue;
    rows.push({ version, name: row.name, fileName: null, state: 'file_missing', sha256: null, appliedSha256: row.sha256, appliedName: row.name, appliedAt: row.appliedAt, appliedBy: row.appliedBy, durationMs: row.durationMs, lastOutcome: row.outcome });
  }
  return rows.sort((a, b) => Number(a.version) - Number(b.version));
}

/** Reads history and reports; unlike the other commands it shows mismatches instead of stopping, so the person can see them. */
export async function readMigrationStatus(db: Queryable, files: MigrationFile[]): Promise<MigrationStatus> {
  const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
  const history = await readHistory(db);
  const migrations = statusRows(files, history);
  const mismatches = checksumMismatches(files, history);
  return {
    database,
    historyTable: HISTORY_TABLE,
    historyExists: await historyExists(db),
    alembicRevision: await alembicRevision(db),
    migrations,
    pending: migrations.filter((m) => m.state === 'pending' || m.state === 'failed').length,
    checksumMismatches: mismatches.map((m) => m.fileName),
    mismatches,
    outOfOrder: outOfOrderFiles(files, history).map((f) => f.fileName),
  };
}
