/**
 * The CLI's option parsers (electron/cli/options.ts): one rule per kind of value. Each bad value
 * is refused as commander's InvalidArgumentError (exit 2) with a sentence naming what to write.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { baseUrl, checkIdList, commaList, durationMs, durationSeconds, fraction, httpUrl, origin, pathOrNone, positiveInt, postgresUrl, redisUrl, tcpPort, tcpPortOrFree, writableFile } from '../electron/cli/options';
import { CHECK_IDS } from '../electron/core/checks/catalogue';
import { parseMigrationText } from '../electron/core/migrations/migration-files';
import { formatDurationMs, parseDurationMs } from '../electron/core/util/duration';

/** The parser refuses `value` with an InvalidArgumentError whose message matches `reason`. */
function refuses(parse: (value: string) => unknown, value: string, reason: RegExp): string {
  let thrown: unknown;
  try {
    parse(value);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `${value} should be refused`).toBeInstanceOf(InvalidArgumentError);
  const message = (thrown as Error).message;
  expect(message).toMatch(reason);
  return message;
}

describe('numbers and ports', () => {
  it('positive whole numbers', () => {
    expect(positiveInt('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '', ' ']) refuses(positiveInt, bad, /positive whole number/);
  });
  it('ports to listen on: 1–65535, or 0 where a free one may be asked for', () => {
    expect(tcpPort('1')).toBe(1);
    expect(tcpPort('65535')).toBe(65535);
    for (const bad of ['0', '65536', 'x', '', '80.5']) refuses(tcpPort, bad, /port from 1 to 65535/);
    expect(tcpPortOrFree('0')).toBe(0);
    for (const bad of ['-1', '65536', '']) refuses(tcpPortOrFree, bad, /port from 0 \(a free one\) to 65535/);
  });
  it('shares: a fraction or a percentage, 0 refused where it must be above zero', () => {
    const share = fraction();
    expect(share('0.8')).toBe(0.8);
    expect(share('80%')).toBe(0.8);
    expect(share('80')).toBe(0.8);
    expect(share('1')).toBe(1);
    expect(share('0')).toBe(0);
    for (const bad of ['120%', '-0.1', 'abc', '', '101']) refuses(share, bad, /fraction \(0\.8\) or a percentage \(80%\)/);
    const capped = fraction({ aboveZero: true });
    expect(capped('0.4')).toBe(0.4);
    expect(capped('40%')).toBe(0.4);
    refuses(capped, '0', /above 0/);
  });
});

describe('durations: one reading everywhere', () => {
  it('units ms, s, m/min, h, d; a bare number is seconds; spaces are allowed', () => {
    const any = durationMs({ min: 1 });
    expect([any('500ms'), any('10s'), any('1.5s'), any('1m'), any('2min'), any('1h'), any('1d'), any('10'), any(' 10 s ')]).toEqual([500, 10_000, 1500, 60_000, 120_000, 3_600_000, 86_400_000, 10_000, 10_000]);
    for (const bad of ['soon', '', '5 minutes', '-1s', '1y']) refuses(any, bad, /expected a duration such as 500ms, 5s, 15m/);
  });
  it('a range is named in the message', () => {
    const window = durationMs({ min: 100, max: 3_600_000 });
    expect(window('100ms')).toBe(100);
    refuses(window, '50ms', /between 100ms and 1h/);
    refuses(window, '2h', /between 100ms and 1h/);
    refuses(durationMs({ min: 1000 }), '0s', /at least 1s/);
  });
  it('a Postgres timeout needs its unit (Postgres reads a bare number as milliseconds)', () => {
    const timeout = durationMs({ min: 1, unitRequired: true });
    expect(timeout('5s')).toBe(5000);
    refuses(timeout, '5', /with its unit/);
    expect(() => parseMigrationText('-- preflight:lock-timeout 5\nSELECT 1;', '0001_x.sql')).toThrow(/lock-timeout needs a duration/);
    expect(parseMigrationText('-- preflight:lock-timeout 2min\nSELECT 1;', '0001_x.sql').directives.lockTimeoutMs).toBe(120_000);
  });
  it('seconds for the active probes’ caps', () => {
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(durationSeconds('1m')).toBe(60);
    expect(durationSeconds('90')).toBe(90);
    refuses(durationSeconds, '0s', /at least 1ms/);
  });
  it('the shared reader and its formatter', () => {
    expect(parseDurationMs('5')).toBeNull();
    expect(parseDurationMs('5', 's')).toBe(5000);
    expect(parseDurationMs('15m')).toBe(900_000);
    expect([100, 1000, 90_000, 3_600_000, 86_400_000, 1500].map(formatDurationMs)).toEqual(['100ms', '1s', '90s', '1h', '1d', '1500ms']);
  });
});

describe('URLs: the contract’s schemas, then the driver’s own checks', () => {
  it('postgres URLs', () => {
    expect(postgresUrl('postgres://u@db.internal:5432/app')).toBe('postgres://u@db.internal:5432/app');
    expect(postgresUrl('POSTGRESQL://u@db/app')).toBe('POSTGRESQL://u@db/app');
    refuses(postgresUrl, 'mysql://u@db/app', /must start with postgres:\/\/ or postgresql:\/\//);
    refuses(postgresUrl, 'postgres://u@db:abc/app', /port .*is not a number/);
    refuses(postgresUrl, 'postgres:///app', /no host/);
    refuses(postgresUrl, 'postgres://u@db/%zzapp', /database name in the URL has a malformed %-escape/);
    refuses(postgresUrl, `postgres://u@db/app?sslrootcert=${join(tmpdir(), 'pf-no-such-file.pem')}`, /sslrootcert=/);
    refuses(postgresUrl, `postgres://u@db/${'a'.repeat(2000)}`, /at most 2000 are accepted/);
    refuses(postgresUrl, '', /empty/);
  });
  it('a refusal never repeats the password', () => {
    const message = refuses(postgresUrl, 'postgres://app:Canary5ecret@db:99999/app', /port is out of range/);
    expect(message).not.toContain('Canary5ecret');
    expect(refuses(redisUrl, 'redis://:Canary5ecret@cache:x', /port/)).not.toContain('Canary5ecret');
  });
  it('redis URLs: the same rule for `redis --url` and `http --redis-url`', () => {
    expect(redisUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(redisUrl('rediss://u:p@cache:6380/0')).toBe('rediss://u:p@cache:6380/0');
    refuses(redisUrl, 'http://cache:6379', /must start with redis:\/\/ or rediss:\/\//);
    refuses(redisUrl, 'redis://', /no host/);
    refuses(redisUrl, 'redis://:%zz@cache', /malformed %-escape/);
  });
  it('http URLs: an endpoint as given, a base URL without trailing slashes', () => {
    expect(httpUrl('https://api.example.com/api/insights/')).toBe('https://api.example.com/api/insights/');
    expect(baseUrl('https://api.example.com//')).toBe('https://api.example.com');
    for (const parse of [httpUrl, baseUrl]) {
      refuses(parse, 'ftp://x', /must start with http:\/\/ or https:\/\//);
      refuses(parse, 'http://', /not a valid URL/);
    }
  });
  it('origins collect; a path is refused', () => {
    expect(origin('https://b.example', origin('https://a.example/'))).toEqual(['https://a.example', 'https://b.example']);
    refuses(origin, 'https://a.example/app', /is not an origin: drop the path \(e\.g\. https:\/\/a\.example\)/);
    refuses(origin, 'nope', /not a valid origin/);
  });
  it('paths, or none', () => {
    expect(pathOrNone('/api/webhook')).toBe('/api/webhook');
    expect(pathOrNone('none')).toBeNull();
    refuses(pathOrNone, 'api/webhook', /starting with \//);
  });
});

describe('lists and files', () => {
  it('comma lists and check ids of the catalogue', () => {
    expect(commaList(' a, ,b ,')).toEqual(['a', 'b']);
    const catalogueIds = (value: string) => checkIdList(value, CHECK_IDS);
    expect(catalogueIds('pg.pool-utilization, redis.memory')).toEqual(['pg.pool-utilization', 'redis.memory']);
    refuses(catalogueIds, 'pg.pool-utilization,pg.nope', /unknown check id\(s\): pg\.nope/);
    refuses(catalogueIds, ' , ', /comma-separated list of check ids/);
  });
  it('a file to write: a new file in an existing folder, or an existing regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-options-'));
    expect(writableFile(join(dir, 'report.xml'))).toBe(join(dir, 'report.xml'));
    writeFileSync(join(dir, 'old.xml'), '');
    expect(writableFile(join(dir, 'old.xml'))).toBe(join(dir, 'old.xml'));
    mkdirSync(join(dir, 'folder'));
    refuses(writableFile, join(dir, 'folder'), /exists and is not a regular file/);
    refuses(writableFile, join(dir, 'missing', 'report.xml'), /does not exist: create it first/);
    refuses(writableFile, ' ', /expected a file path/);
  });
});
