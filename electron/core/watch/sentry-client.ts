/**
 * Reads error-event counts from Sentry's web API: `GET /api/0/projects/{org}/{project}/stats/
 * ?stat=received&since=&until=&resolution=10s` answers `[[unixSeconds, count], …]`. The auth
 * token comes from the secret store and is sent only to the profile's Sentry host, never shown.
 * A 401/403 is an authentication failure: the watch stops asking (no lockouts) and alerts.
 */
import { Agent } from 'undici';

class SentryAuthError extends Error {
  readonly code = 'auth_failed';
}

export interface SentryTarget {
  baseUrl: string;
  organization: string;
  projects: string[];
  token: string;
}

export class SentryStatsClient {
  private readonly agent = new Agent({ connections: 2, keepAliveTimeout: 4000, connect: { timeout: 2000 } });

  constructor(private readonly target: SentryTarget) {}

  get label(): string {
    return `${new URL(this.target.baseUrl).host} ${this.target.organization}/${this.target.projects.join(',')}`;
  }

  /** Error events received by all the projects in (since, until], in seconds since the epoch. */
  async errorsBetween(sinceSec: number, untilSec: number, timeoutMs = 5000): Promise<number> {
    let total = 0;
    for (const project of this.target.projects) {
      const path = `/api/0/projects/${encodeURIComponent(this.target.organization)}/${encodeURIComponent(project)}/stats/?stat=received&resolution=10s&since=${Math.floor(sinceSec)}&until=${Math.ceil(untilSec)}`;
      const res = await this.agent.request({
        origin: new URL(this.target.baseUrl).origin,
        path,
        method: 'GET',
        headers: { authorization: `Bearer ${this.target.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      if (res.statusCode === 401 || res.statusCode === 403) throw new SentryAuthError(`Authentication failed for Sentry: the token was refused for ${this.target.organization}/${project} (HTTP ${res.statusCode}): check the secret and its project:read scope`);
      if (res.statusCode !== 200) throw new Error(`Sentry answered HTTP ${res.statusCode} for ${this.target.organization}/${project}`);
      let rows: unknown;
      try {
        rows = JSON.parse(text);
      } catch {
        throw new Error(`Sentry's stats for ${project} were not JSON`);
      }
      if (!Array.isArray(rows)) throw new Error(`Sentry's stats for ${project} were not a list of [time, count]`);
      for (const row of rows) {
        if (Array.isArray(row) && typeof row[0] === 'number' && typeof row[1] === 'number' && row[0] > sinceSec - 10 && row[0] <= untilSec) total += row[1];
      }
    }
    return total;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}
