/** What `preflight doctor` reports for one target: findings, and the commands for a least-privilege user. */
export type FindingLevel = 'ok' | 'warn' | 'info';

export interface Finding {
  level: FindingLevel;
  /** Short id, e.g. pg.superuser. */
  id: string;
  text: string;
}

export interface TargetReport {
  kind: 'postgres' | 'redis';
  /** The connection, password masked. */
  target: string;
  user: string | null;
  reachable: boolean;
  findings: Finding[];
  /** Exact statements that create a least-privilege monitoring user for this target. */
  leastPrivilege: string[];
}

export const worstLevel = (reports: TargetReport[]): FindingLevel => (reports.some((r) => r.findings.some((f) => f.level === 'warn')) ? 'warn' : 'ok');
