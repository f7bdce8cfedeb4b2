/** The Postgres probes' runners: one activity sample, and the index catalog with the migration status. */
import { loadMigrations, readMigrationStatus } from '../../migrations';
import { profilePath } from '../../profile/paths';
import { resolveUrl } from '../../profile/secrets';
import type { PostgresCatalogObservation } from '../outputs';
import { abortable, needsTarget, type ProbeRunContext, type ProbeRunner } from '../runner';
import { ProbeClient, sampleActivity } from './index';
import { readIndexCatalog } from './indexes';

export const postgresRunner: ProbeRunner<'postgres'> = {
  name: 'postgres',
  targets: ['postgres'],
  active: false,
  timeoutMs: 5000,
  notApplicable: needsTarget('postgres'),
  async run(ctx) {
    const url = await resolveUrl(ctx.environment.targets.postgres!.url, ctx.environment, ctx.env);
    const client = new ProbeClient(url, { connectTimeoutMs: 4000 });
    const abort = () => void client.close();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      return await sampleActivity(client, { budget: ctx.loaded.profile.expectations.postgres?.connectionBudget ?? null });
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await client.close();
    }
  },
};

/** Index catalog and migration status on one read-only connection, one after the other. */
async function runPostgresCatalogProbe(ctx: ProbeRunContext): Promise<PostgresCatalogObservation> {
  const url = await resolveUrl(ctx.environment.targets.postgres!.url, ctx.environment, ctx.env);
  const migrations = ctx.loaded.profile.expectations.postgres?.migrations;
  const files = migrations?.dir ? loadMigrations(profilePath(ctx.loaded, migrations.dir)) : [];
  const client = new ProbeClient(url, { connectTimeoutMs: 4000, role: 'reader' });
  const detach = abortable(ctx.signal, () => client.close());
  try {
    const catalog = await readIndexCatalog(client);
    const status = migrations ? await readMigrationStatus(client, files) : null;
    return { catalog, migrations: status, migrationsDir: migrations?.dir ?? null };
  } finally {
    detach();
    await client.close();
  }
}

export const postgresCatalogRunner: ProbeRunner<'postgresCatalog'> = { name: 'postgresCatalog', targets: ['postgres'], active: false, timeoutMs: 5000, notApplicable: needsTarget('postgres'), run: runPostgresCatalogProbe };
