/**
 * A StartInsight-like schema (TARGET.md: the six tables, no `insights.source`) seeded with
 * generate_series, for migration tests, the demo and bench/migrate.
 */
import pg from 'pg';

export interface SeedOptions {
  interactions?: number;
  users?: number;
  insights?: number;
  /** Writes an alembic_version row like the real database's. */
  alembicRevision?: string | null;
}

export async function createStartInsightSchema(url: string, options: SeedOptions = {}): Promise<void> {
  const users = options.users ?? 5_000;
  const insights = options.insights ?? 2_000;
  const interactions = options.interactions ?? 200_000;
  const c = new pg.Client({ connectionString: url, application_name: 'seed' });
  await c.connect();
  try {
    await c.query(`
      CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL CONSTRAINT users_email_key UNIQUE, subscription_tier text NOT NULL DEFAULT 'free', deleted_at timestamptz, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE insights (id serial PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE saved_insights (id serial PRIMARY KEY, user_id int NOT NULL, insight_id int NOT NULL, status text NOT NULL);
      CREATE TABLE insight_interactions (id bigserial PRIMARY KEY, user_id int NOT NULL, insight_id int NOT NULL, interaction_type text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE custom_analyses (id serial PRIMARY KEY, user_id int NOT NULL, status text NOT NULL);
      CREATE TABLE research_requests (id serial PRIMARY KEY, user_id int NOT NULL, status text NOT NULL);
      INSERT INTO users (email, subscription_tier, deleted_at)
        SELECT 'user' || g || '@example.com', (ARRAY['free','starter','pro','enterprise'])[1 + g % 4], CASE WHEN g % 50 = 0 THEN now() END FROM generate_series(1, ${users}) g;
      INSERT INTO insights (title, created_at) SELECT 'insight ' || g, now() - (g || ' minutes')::interval FROM generate_series(1, ${insights}) g;
      INSERT INTO saved_insights (user_id, insight_id, status) SELECT 1 + g % ${users}, 1 + g % ${insights}, (ARRAY['saved','archived','interested'])[1 + g % 3] FROM generate_series(1, ${Math.max(1, Math.round(interactions / 10))}) g;
      INSERT INTO insight_interactions (user_id, insight_id, interaction_type, created_at)
        SELECT 1 + g % ${users}, 1 + (g * 7) % ${insights}, (ARRAY['view','save','share','click'])[1 + g % 4], now() - (g || ' seconds')::interval FROM generate_series(1, ${interactions}) g;
      INSERT INTO custom_analyses (user_id, status) SELECT 1 + g % ${users}, (ARRAY['pending','running','done'])[1 + g % 3] FROM generate_series(1, ${Math.max(1, Math.round(interactions / 20))}) g;
      INSERT INTO research_requests (user_id, status) SELECT 1 + g % ${users}, (ARRAY['queued','done'])[1 + g % 2] FROM generate_series(1, ${Math.max(1, Math.round(interactions / 20))}) g;
      ANALYZE;`);
    if (options.alembicRevision) {
      await c.query('CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)');
      await c.query('INSERT INTO alembic_version VALUES ($1)', [options.alembicRevision]);
    }
  } finally {
    await c.end();
  }
}
