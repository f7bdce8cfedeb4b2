/**
 * The profile's `expectations` schema, assembled from the check modules (each declares the keys
 * it judges, with defaults) and the probes (the keys only a probe reads). Two declarations of
 * one key must be the very same zod schema (shared through profile/fields.ts or a module both
 * import); anything else is a programming error reported when this module loads.
 */
import { z } from 'zod';
import { CATALOGUE } from '../checks/catalogue';
import { SECTIONS, type ExpectationShape, type Section } from '../checks/define';
import { PROBE_EXPECTATIONS } from '../probes/expectations';
import { refusePollOfUnsafeRoutes } from './poll-safety';

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
type Declared = UnionToIntersection<(typeof CATALOGUE)[number]['expectations'] | typeof PROBE_EXPECTATIONS>;
type SectionShape<S extends Section> = S extends keyof Declared ? (Declared[S] extends z.ZodRawShape ? Declared[S] : never) : never;

/** Who declares each key: `postgres.poolUtilization` → ['pg.pool-utilization']. */
export const DECLARED_BY = new Map<string, string[]>();

function assemble(): { [S in Section]: z.ZodRawShape } {
  const merged = Object.fromEntries(SECTIONS.map((s) => [s, {} as Record<string, z.ZodType>])) as { [S in Section]: Record<string, z.ZodType> };
  const add = (owner: string, shapes: ExpectationShape) => {
    for (const [section, shape] of Object.entries(shapes) as [Section, z.ZodRawShape][]) {
      for (const [key, schema] of Object.entries(shape)) {
        const path = `${section}.${key}`;
        const existing = merged[section][key];
        if (existing && existing !== schema) throw new Error(`expectations.${path} is declared differently by ${[...(DECLARED_BY.get(path) ?? []), owner].join(' and ')}: share one schema`);
        merged[section][key] = schema as z.ZodType;
        DECLARED_BY.set(path, [...(DECLARED_BY.get(path) ?? []), owner]);
      }
    }
  };
  add('probe', PROBE_EXPECTATIONS);
  for (const check of CATALOGUE) add(check.id, check.expectations);
  return merged;
}

const shapes = assemble();
const object = <S extends Section>(s: S) => z.strictObject(shapes[s] as SectionShape<S>);
const section = <S extends Section>(s: S) => object(s).optional();

export const Expectations = z.strictObject({
  postgres: section('postgres'),
  redis: section('redis'),
  http: object('http').superRefine(refusePollOfUnsafeRoutes).optional(),
  envFile: section('envFile'),
  repo: section('repo'),
});
export type Expectations = z.infer<typeof Expectations>;
