/**
 * Sentry for Preflight's own crashes: the one options module for the desktop app's main process
 * (@sentry/electron/main) and the Node test that proves it (@sentry/node). Off until a DSN is
 * configured (PREFLIGHT_SENTRY_DSN, or `sentryDsn` in settings.json in the data folder). Every
 * event and breadcrumb goes through the one masker (util/redact.ts) and SQL through the
 * normaliser; no default PII, no console breadcrumbs, no native minidumps unless opted in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RendererErrorReport } from '../../../shared/contracts/telemetry';
import { dataDir } from '../util/data-dir';
import { maskSecretsInText } from '../util/redact';
import { normalizeSql } from '../util/sql-normalize';

export interface CrashReportingSettings {
  dsn: string | null;
  /** Native crash dumps hold raw process memory (connection strings, passwords): opt-in only. */
  minidumps: boolean;
}

/** Environment first (a deployment can force it), then the user's settings file. */
export function crashReportingSettings(env: NodeJS.ProcessEnv = process.env, dir: string = dataDir()): CrashReportingSettings {
  let fromFile: { sentryDsn?: unknown; sentryMinidumps?: unknown } = {};
  const file = join(dir, 'settings.json');
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as typeof fromFile;
    } catch {
      fromFile = {};
    }
  }
  const dsn = env.PREFLIGHT_SENTRY_DSN?.trim() || (typeof fromFile.sentryDsn === 'string' ? fromFile.sentryDsn.trim() : '') || null;
  return { dsn, minidumps: env.PREFLIGHT_SENTRY_MINIDUMPS === '1' || fromFile.sentryMinidumps === true };
}

const SQL_START = /^\s*(select|insert|update|delete|with|set|create|alter|drop|grant|copy|begin|explain)\b/i;

/** A string as it may leave the machine: secrets masked, SQL literals replaced. */
export function scrubText(text: string): string {
  const masked = maskSecretsInText(text);
  return SQL_START.test(masked) ? normalizeSql(masked) : masked;
}

/** Every string in a JSON-like value, scrubbed (depth-limited; cycles cut). */
export function scrubDeep<T>(value: T, depth = 0, seen = new WeakSet<object>()): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (seen.has(value)) return '[cycle]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1, seen)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubDeep(v, depth + 1, seen);
  return out as T;
}

interface EventLike {
  user?: unknown;
  server_name?: string;
  request?: { cookies?: unknown; headers?: Record<string, unknown>; data?: unknown };
  [key: string]: unknown;
}
interface BreadcrumbLike {
  category?: string;
  [key: string]: unknown;
}

export function scrubEvent<E extends EventLike>(event: E): E {
  const copy = { ...event };
  delete copy.user;
  delete copy.server_name;
  if (copy.request) copy.request = { ...copy.request, cookies: undefined, headers: undefined, data: undefined };
  return scrubDeep(copy);
}

export function scrubBreadcrumb<B extends BreadcrumbLike>(breadcrumb: B): B | null {
  if (breadcrumb.category === 'console') return null;
  return scrubDeep(breadcrumb);
}

interface IntegrationLike {
  name: string;
}

/**
 * Options for Sentry.init in main (and @sentry/node in tests); null when no DSN is configured,
 * so nothing is initialised at all.
 */
export function sentryOptions(settings: CrashReportingSettings, release: string) {
  if (!settings.dsn) return null;
  return {
    dsn: settings.dsn,
    release: `preflight@${release}`,
    sendDefaultPii: false,
    // Local variables of a crashing frame can hold a decrypted URL: never captured.
    includeLocalVariables: false,
    tracesSampleRate: 0,
    maxBreadcrumbs: 30,
    beforeSend: <E extends EventLike>(event: E) => scrubEvent(event),
    beforeBreadcrumb: <B extends BreadcrumbLike>(breadcrumb: B) => scrubBreadcrumb(breadcrumb),
    integrations: <I extends IntegrationLike>(defaults: I[]) => defaults.filter((i) => i.name !== 'Console' && (settings.minidumps || !/minidump/i.test(i.name))),
  };
}

/**
 * The desktop app's options for @sentry/electron/main: sentryOptions, plus no renderer channel of
 * Sentry's own. `ipcMode` is a bit set (Classic 1: ipcMain listeners; Protocol 2: a `sentry-ipc`
 * scheme registered as privileged with bypassCSP, which would also be a second
 * registerSchemesAsPrivileged call next to app://'s, which Electron allows once); 0 sets up
 * neither. Renderer crashes reach main over the contract instead (captureRendererCrash).
 */
export function electronSentryOptions(settings: CrashReportingSettings, release: string) {
  const options = sentryOptions(settings, release);
  return options ? { ...options, ipcMode: 0 } : null;
}

/**
 * A renderer's crash report captured by main's Sentry (@sentry/electron/main in the app,
 * @sentry/node in the test): an Error with the renderer's stack, tagged process=renderer.
 */
export function captureRendererCrash(sentry: { captureException(error: Error, context: object): unknown }, report: RendererErrorReport): void {
  const error = new Error(report.message);
  error.name = report.name || 'Error';
  error.stack = report.stack ?? `${error.name}: ${report.message}`;
  sentry.captureException(error, { tags: { process: 'renderer', source: report.source }, extra: { page: report.page } });
}
