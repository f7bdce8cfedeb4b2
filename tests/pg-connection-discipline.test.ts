/**
 * Tripwires for the connection rules of DESIGN.md §3: every PostgreSQL connection the product
 * opens goes through electron/core/probes/postgres/connections.ts (where the per-database
 * budget lives), and no query leaves sessions out by their application_name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './harness/cli';

const MANAGER = 'electron/core/probes/postgres/connections.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|mts|cts)$/.test(name) ? [path] : [];
  });
}

const product = ['electron', 'shared', 'renderer'].flatMap((d) => sources(join(PROJECT_ROOT, d))).map((p) => ({ path: relative(PROJECT_ROOT, p), text: readFileSync(p, 'utf8') }));

describe('connection discipline', () => {
  it('only the connection manager creates a pg.Client, a pg.Pool or a raw socket to Postgres', () => {
    const offenders = product.filter((f) => f.path !== MANAGER && /new\s+(pg\.)?(Client|Pool)\s*\(/.test(f.text) && /from 'pg'/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
    expect(product.find((f) => f.path === MANAGER)!.text).toMatch(/new pg\.Client\(/);
  });

  it('no query excludes sessions by application_name (own sessions are known by pid)', () => {
    const byName = /application_name\s*(<>|!=|IS\s+DISTINCT\s+FROM|NOT\s+(I?LIKE|IN))\s*\(?\s*'preflight/i;
    expect(product.filter((f) => byName.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
