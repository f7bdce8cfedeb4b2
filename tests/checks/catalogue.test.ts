/** The catalogue is the list of check modules; the profile schema, --list and the docs table are derived from it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHECKS } from '../../electron/core/checks/catalogue';
import { defineCheck } from '../../electron/core/checks/define';
import { catalogueTable, describeCatalogue } from '../../electron/core/checks/describe';
import { DECLARED_BY } from '../../electron/core/profile/expectations';
import { Profile } from '../../electron/core/profile/schema';
import { PROJECT_ROOT, runCli } from '../harness/cli';

const minimal = (expectations: unknown) => ({ version: 1, name: 's', environments: [{ name: 'prod', kind: 'production' }], expectations });

describe('the check catalogue', () => {
  it('ids are unique', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every expectation a check declares is a key of the profile schema, with the check’s default', () => {
    for (const check of CHECKS) {
      const defaults = check.readExpectations({}) as Record<string, Record<string, unknown>>;
      for (const [section, shape] of Object.entries(check.expectations)) {
        for (const key of Object.keys(shape ?? {})) {
          expect(DECLARED_BY.get(`${section}.${key}`), `${check.id} ${section}.${key}`).toContain(check.id);
          // The profile parses an empty section to the same default the check evaluates with.
          const parsed = Profile.parse(minimal({ [section]: {} })).expectations as Record<string, Record<string, unknown>>;
          expect(parsed[section]![key], `${check.id} ${section}.${key}`).toEqual(defaults[section]![key]);
        }
      }
    }
  });

  it('a key the checks do not declare is refused by the profile, with the section named', () => {
    expect(() => Profile.parse(minimal({ redis: { memoryLimit: 0.8 } }))).toThrow(/memoryLimit/);
  });

  it('a check evaluates with its defaults when the profile says nothing', () => {
    const def = CHECKS.find((c) => c.id === 'redis.memory')!;
    expect(def.readExpectations({})).toEqual({ redis: { memoryUsedRatio: { warn: 0.7, fail: 0.8 } } });
    expect(def.readExpectations(Profile.parse(minimal({ redis: { memoryUsedRatio: { warn: 0.5, fail: 0.6 } } })).expectations)).toEqual({ redis: { memoryUsedRatio: { warn: 0.5, fail: 0.6 } } });
  });

  it('defineCheck types evaluate from needs: a check cannot read a probe it does not name', () => {
    const def = defineCheck({
      id: 'x.y',
      title: 't',
      category: 'performance',
      severity: 'low',
      fix: 'f',
      needs: ['redis'],
      expectations: { redis: { floor: z.number().default(1) } },
      evaluate(o, x) {
        // @ts-expect-error postgres is not in needs
        void o.postgres;
        return { status: x.redis.floor === 1 && o.redis.hitRate === null ? 'skipped' : 'pass', summary: '', evidence: {} };
      },
    });
    expect(def.readExpectations({})).toEqual({ redis: { floor: 1 } });
  });

  it('docs/profiles.md carries the generated catalogue table (run `npm run docs:checks` when this fails)', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'profiles.md'), 'utf8');
    expect(doc).toContain(catalogueTable());
  });

  it('`check --list --json` prints the catalogue with each check’s expectations and defaults', async () => {
    const res = await runCli(['check', '--list', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(JSON.parse(JSON.stringify(describeCatalogue())));
    const memory = (JSON.parse(res.stdout) as { id: string; severity: string; expectations: { key: string; default: unknown }[] }[]).find((c) => c.id === 'redis.memory')!;
    expect(memory.expectations).toEqual([{ key: 'redis.memoryUsedRatio', default: { warn: 0.7, fail: 0.8 } }]);
  });
});

describe('a stack’s names live in its profile', () => {
  it('a result’s fix is the profile’s own fix records for that check, else the generic text; the catalogue names no platform', async () => {
    const { fixFor } = await import('../../electron/core/engine/run-checks');
    const { loadProfile } = await import('../../electron/core/profile/load');
    const { CHECK_IDS } = await import('../../electron/core/checks/catalogue');
    const { profile } = loadProfile(join(PROJECT_ROOT, 'profiles', 'startinsight.yaml'), { env: {}, knownCheckIds: CHECK_IDS });
    const pool = CHECKS.find((c) => c.id === 'pg.pool-utilization')!;
    expect(fixFor(pool, profile.fixes)).toContain('Supabase upgraded to Pro');
    expect(fixFor(pool, [])).toBe(pool.fix);
    for (const c of CHECKS) expect(`${c.title} ${c.fix}`, c.id).not.toMatch(/Railway|Supabase|Upstash|Vercel|alembic|StartInsight|b010/i);
  });
});
