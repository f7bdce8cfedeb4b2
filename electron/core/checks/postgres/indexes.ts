/** pg.indexes: the profile's expected indexes exist, matched by definition (table, columns, predicate, method), not by name. */
import { z } from 'zod';
import type { IndexExpectation } from '../../../../shared/schemas/indexes';
import { defineCheck, skipped, verdictOf } from '../define';
import { evaluateIndexes, indexCheck } from '../indexes';

const ExpectedIndex = z.strictObject({
  name: z.string().min(1),
  table: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
  unique: z.boolean().default(false),
  /** Partial-index predicate, e.g. `deleted_at IS NULL` (matched by definition, like the columns). */
  where: z.string().min(1).optional(),
  /** Access method; btree unless said otherwise. */
  method: z.string().min(1).default('btree'),
  /** Listed by the team but not required (for example a column that does not exist). */
  optional: z.boolean().default(false),
  note: z.string().optional(),
});

function likeToRegExp(like: string): RegExp {
  const body = like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`);
}

export default defineCheck({
  id: 'pg.indexes',
  title: 'Production indexes exist',
  category: 'performance',
  severity: 'high',
  fix: 'The indexes the app’s hot queries need exist, valid and ready (created by the app’s migrations)',
  needs: ['postgresCatalog'],
  expectations: {
    postgres: {
      indexes: z.array(ExpectedIndex).default([]),
      /** How many indexes in schema public match a LIKE pattern (e.g. 15 `idx_%`). */
      indexCount: z.strictObject({ like: z.string(), expected: z.number().int().nonnegative() }).optional(),
    },
  },
  evaluate({ postgresCatalog: o }, { postgres: pgx }) {
    const listed = pgx.indexes;
    if (!listed.length && !pgx.indexCount) return skipped('The profile lists no expected indexes (expectations.postgres.indexes).');
    const toExpectation = (i: (typeof listed)[number]): IndexExpectation => ({ name: i.name, table: i.table, columns: i.columns, unique: i.unique, where: i.where, method: i.method, optional: i.optional, note: i.note });
    const report = evaluateIndexes(o.catalog, listed.filter((i) => !i.optional).map(toExpectation));
    const optional = evaluateIndexes(o.catalog, listed.filter((i) => i.optional).map(toExpectation)).indexes;
    const v = verdictOf(indexCheck(report));
    const evidence: Record<string, unknown> = { ...v.evidence, optional };
    let { status, summary } = v;
    if (pgx.indexCount) {
      const re = likeToRegExp(pgx.indexCount.like);
      const count = o.catalog.indexes.filter((ix) => ix.schema === 'public' && re.test(ix.name)).length;
      evidence.indexCount = { like: pgx.indexCount.like, expected: pgx.indexCount.expected, found: count };
      if (count !== pgx.indexCount.expected) {
        summary += ` ${count} indexes in public match LIKE '${pgx.indexCount.like}', expected ${pgx.indexCount.expected}.`;
        if (status === 'pass') status = 'warn';
      } else summary += ` ${count} indexes match LIKE '${pgx.indexCount.like}', as expected.`;
    }
    return { status, summary, evidence };
  },
});
