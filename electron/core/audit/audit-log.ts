/**
 * The local audit log (DESIGN.md §3): every write to a target and every active probe run is
 * appended here as one JSON line — who, when, what, where, outcome. Never a secret: targets
 * are recorded with their passwords masked.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { maskUrl } from '../util/redact';
import { dataDir } from '../util/data-dir';

export interface AuditEntry {
  /** e.g. 'migrate.apply', 'ratelimit.run', 'sse.run' */
  action: string;
  /** Target URL or host; masked before it is written. */
  target: string;
  environment?: string | null;
  outcome: 'started' | 'succeeded' | 'failed' | 'cancelled' | 'refused';
  details?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  at: string;
  who: string;
}

export function auditLogPath(): string {
  return join(dataDir(), 'audit.jsonl');
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function writeAudit(entry: AuditEntry): StoredAuditEntry {
  const stored: StoredAuditEntry = { at: new Date().toISOString(), who: currentUser(), ...entry, target: maskUrl(entry.target) };
  appendFileSync(auditLogPath(), `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  return stored;
}

export function readAudit(): StoredAuditEntry[] {
  const path = auditLogPath();
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StoredAuditEntry);
}
