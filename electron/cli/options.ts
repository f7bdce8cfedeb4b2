/**
 * Every parser of a `preflight` option value, one rule each. A bad value throws commander's
 * InvalidArgumentError with a sentence that says what to write instead (exit 2, masked).
 * URLs are judged by the contract's own schemas (shared/schemas/urls.ts), so the CLI and the
 * window accept the same URLs; the drivers' own checks follow (malformed %-escapes, SSL files).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { HttpUrl, MAX_URL_CHARS, PostgresUrl, RedisUrl } from '../../shared/schemas/urls';
import { parseRedisUrl } from '../core/probes/redis/url';
import { BadPostgresUrlError, checkPostgresUrl } from '../core/probes/postgres/url-check';
import { DURATION_EXAMPLES, formatDurationMs, parseDurationMs } from '../core/util/duration';
import { MAX_PORT } from '../core/util/listen';

// ---- numbers -------------------------------------------------------------------------------

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** A TCP port to listen on: 1 to 65535 (0 and above are refused here, before anything starts). */
export function tcpPort(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n < 1 || n > MAX_PORT) throw new InvalidArgumentError(`expected a port from 1 to ${MAX_PORT}`);
  return n;
}

/** A port to listen on where 0 asks the system for a free one. */
export function tcpPortOrFree(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n < 0 || n > MAX_PORT) throw new InvalidArgumentError(`expected a port from 0 (a free one) to ${MAX_PORT}`);
  return n;
}

/**
 * A share: a fraction (0.8) or a percentage (80%, or a bare number above 1 read as a percentage).
 * `aboveZero` refuses 0 (a cap of "no 5xx at all" is written 0.01, not 0).
 */
export function fraction(options: { aboveZero?: boolean } = {}): (value: string) => number {
  return (value) => {
    const text = value.trim();
    const n = Number(text.replace(/%$/, ''));
    const f = text.endsWith('%') || n > 1 ? n / 100 : n;
    if (!text || !Number.isFinite(f) || f < 0 || f > 1) throw new InvalidArgumentError('expected a fraction (0.8) or a percentage (80%)');
    if (options.aboveZero && f === 0) throw new InvalidArgumentError('expected a share above 0, e.g. 0.4 or 40%');
    return f;
  };
}

// ---- durations -----------------------------------------------------------------------------

/**
 * A duration (500ms, 5s, 15m, 24h) → milliseconds, within [min, max]. A bare number is seconds,
 * except where `unitRequired` (a Postgres timeout: Postgres reads a bare number as milliseconds).
 */
export function durationMs(range: { min: number; max?: number; unitRequired?: boolean }): (value: string) => number {
  return (value) => {
    const ms = parseDurationMs(value, range.unitRequired ? null : 's');
    if (ms === null) throw new InvalidArgumentError(`expected a duration such as ${DURATION_EXAMPLES}${range.unitRequired ? ' (with its unit)' : ' (a bare number is seconds)'}`);
    if (ms < range.min || (range.max !== undefined && ms > range.max)) {
      throw new InvalidArgumentError(range.max === undefined ? `expected a duration of at least ${formatDurationMs(range.min)}` : `expected a duration between ${formatDurationMs(range.min)} and ${formatDurationMs(range.max)}`);
    }
    return ms;
  };
}

const anyPositiveDuration = durationMs({ min: 1 });

/** A duration above zero → seconds (the active probes' caps are in seconds). */
export function durationSeconds(value: string): number {
  return anyPositiveDuration(value) / 1000;
}

// ---- URLs ------------------------------------------------------------------------------------

function checkUrl(schema: z.ZodType<string>, value: string): void {
  // Refused by length before anything parses or scans it.
  if (value.length > MAX_URL_CHARS) throw new InvalidArgumentError(`a URL of ${value.length} characters; at most ${MAX_URL_CHARS} are accepted`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'is not a valid URL';
    // "is not a valid URL: …" reads as its own sentence; "must start with …", "is empty" need their subject.
    throw new InvalidArgumentError(problem.startsWith('is not a valid URL') ? problem.slice('is '.length) : `the URL ${problem}`);
  }
}

/** A postgres:// URL the driver can use as given (core/probes/postgres/url-check.ts). */
export function postgresUrl(value: string): string {
  checkUrl(PostgresUrl, value);
  try {
    checkPostgresUrl(value);
  } catch (err) {
    if (err instanceof BadPostgresUrlError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

/** A redis:// or rediss:// URL the client can use as given. */
export function redisUrl(value: string): string {
  checkUrl(RedisUrl, value);
  try {
    parseRedisUrl(value);
  } catch (err) {
    // decodeURIComponent's URIError says "URI malformed": name the part instead.
    throw new InvalidArgumentError(err instanceof URIError ? 'the user name or password in the URL has a malformed %-escape (a literal % is written %25)' : (err as Error).message);
  }
  return value;
}

/** An http(s):// URL of an endpoint, as given. */
export function httpUrl(value: string): string {
  checkUrl(HttpUrl, value);
  return value;
}

/** An http(s):// URL an API's paths are appended to: trailing slashes dropped. */
export function baseUrl(value: string): string {
  return httpUrl(value).replace(/\/+$/, '');
}

/** A repeatable origin (scheme://host[:port], no path); collects into a list. */
export function origin(value: string, previous: string[] = []): string[] {
  if (value.length > MAX_URL_CHARS) throw new InvalidArgumentError(`a URL of ${value.length} characters; at most ${MAX_URL_CHARS} are accepted`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a valid origin (expected e.g. https://app.example.com)`);
  }
  if (url.origin !== value.replace(/\/+$/, '')) throw new InvalidArgumentError(`"${value}" is not an origin: drop the path (e.g. ${url.origin})`);
  return [...previous, url.origin];
}

/** A URL path starting with /, or "none" (null) to skip the probe that uses it. */
export function pathOrNone(value: string): string | null {
  if (value === 'none') return null;
  if (!value.startsWith('/')) throw new InvalidArgumentError('expected a path starting with / (or "none")');
  return value;
}

// ---- lists and files ---------------------------------------------------------------------------

/** Comma-separated words, blanks dropped. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Comma-separated check ids, each one of `known` (the catalogue's CHECK_IDS, passed by the
 * command that takes them, so other commands never load every check definition).
 */
export function checkIdList(value: string, known: ReadonlySet<string>): string[] {
  const ids = commaList(value);
  if (!ids.length) throw new InvalidArgumentError('expected a comma-separated list of check ids');
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new InvalidArgumentError(`unknown check id(s): ${unknown.join(', ')} (see --list)`);
  return ids;
}

/**
 * A file to write (`check --junit`, `checklist export --out`, `report --out`), checked when the
 * arguments are parsed, before any probe runs: a run of several seconds against production must
 * not end in "cannot write the report".
 */
export function writableFile(value: string): string {
  if (!value.trim()) throw new InvalidArgumentError('expected a file path');
  const path = resolve(value);
  const st = statSync(path, { throwIfNoEntry: false });
  if (st) {
    if (!st.isFile()) throw new InvalidArgumentError(`${value} exists and is not a regular file`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new InvalidArgumentError(`${value} exists and is not writable`);
    }
    return value;
  }
  const dir = dirname(path);
  const parent = statSync(dir, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) throw new InvalidArgumentError(`the folder ${dir} does not exist: create it first or choose another path`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`the folder ${dir} is not writable`);
  }
  return value;
}
