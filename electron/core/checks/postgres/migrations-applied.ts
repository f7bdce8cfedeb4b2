/** pg.migrations-applied: the database is at the expected migration head (alembic or Preflight's own files), checksums intact. */
import { z } from 'zod';
import { defineCheck, fail, pass, skipped, warn } from '../define';

export default defineCheck({
  id: 'pg.migrations-applied',
  title: 'Database is at the expected migration head',
  category: 'infrastructure',
  severity: 'critical',
  fix: 'Every migration of the release applied before the new code serves traffic (the database at the expected head)',
  needs: ['postgresCatalog'],
  expectations: {
    postgres: {
      migrations: z
        .strictObject({
          tool: z.enum(['alembic', 'preflight']).default('preflight'),
          /** The revision (alembic) or migration file (preflight, e.g. 0001_production_indexes) the database must be at. */
          head: z.string().min(1).optional(),
          /** Folder of Preflight migration files (relative to the profile): every one applied, checksums intact. */
          dir: z.string().min(1).optional(),
          table: z.string().optional(),
        })
        .refine((m) => m.head !== undefined || m.dir !== undefined, 'give "head", "dir" or both')
        .optional(),
    },
  },
  evaluate({ postgresCatalog: o }, { postgres: { migrations: exp } }) {
    if (!exp) return skipped('The profile names no migrations to expect (expectations.postgres.migrations).');
    const m = o.migrations;
    if (!m) return skipped('The migration status was not read.');
    const problems: string[] = [];
    const notes: string[] = [];
    const rows = m.migrations;
    if (exp.dir) {
      const notApplied = rows.filter((r) => r.state === 'pending' || r.state === 'failed');
      if (notApplied.length) problems.push(`${notApplied.length} of ${rows.filter((r) => r.fileName).length} migration files not applied (${notApplied.map((r) => `${r.fileName} ${r.state}`).join(', ')})`);
      problems.push(...m.mismatches.map((x) => x.message.replace(/\.$/, '')));
      const missing = rows.filter((r) => r.state === 'file_missing');
      if (missing.length) notes.push(`applied but not in ${exp.dir}: ${missing.map((r) => `${r.version}_${r.name}`).join(', ')}`);
      if (!rows.length) notes.push(`${exp.dir} holds no migration files`);
    }
    if (exp.head) {
      if (exp.tool === 'alembic') {
        if (m.alembicRevision === null) problems.push(`no alembic_version row in ${m.database} (expected ${exp.head})`);
        else if (m.alembicRevision !== exp.head) problems.push(`alembic_version is ${m.alembicRevision}, expected ${exp.head}`);
      } else {
        const head = exp.head;
        const names = (r: (typeof rows)[number]) => [r.version, `${r.version}_${r.name}`, r.fileName, r.fileName?.replace(/\.sql$/, '')];
        const found = rows.find((r) => names(r).includes(head));
        const applied = rows.filter((r) => r.state === 'applied' || r.state === 'file_missing' || r.state === 'checksum_mismatch' || r.state === 'different_migration');
        const latest = applied.at(-1);
        if (!found || !applied.includes(found)) problems.push(`migration ${head} is not applied${latest ? ` (latest applied: ${latest.version}_${latest.name})` : ' (nothing applied)'}`);
        else if (latest && latest !== found) notes.push(`newer than the expected head: ${latest.version}_${latest.name}`);
      }
    }
    const evidence = { database: m.database, historyTable: m.historyTable, alembicRevision: m.alembicRevision, expected: exp, migrations: rows.map((r) => ({ version: r.version, name: r.name, state: r.state, appliedAt: r.appliedAt })), problems, notes };
    if (problems.length) return fail(`${problems.join('; ')}.`, evidence);
    const applied = rows.filter((r) => r.state === 'applied').length;
    const at = exp.head ? `at ${exp.head}` : 'up to date';
    const summary = `Database ${m.database} is ${at}${exp.dir ? `: ${applied} of ${applied} files in ${exp.dir} applied, checksums intact` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
    return notes.length ? warn(summary, evidence) : pass(summary, evidence);
  },
});
