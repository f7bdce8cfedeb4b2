/**
 * The sample API's data: a small `insights` table, seeded once, read through a pool that
 * names itself like the real backend (application_name=startinsight-api).
 */
import pg from 'pg';
import { QueryError } from './errors';

export interface Insight {
  id: number;
  title: string;
  category: string;
  score: number;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS insights (
  id integer PRIMARY KEY,
  title text NOT NULL,
  category text NOT NULL,
  score double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
const CATEGORIES = ['saas', 'fintech', 'health', 'devtools', 'climate'];

export async function prepareSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two API instances on one database must not race on CREATE TABLE.
    await client.query('SELECT pg_advisory_xact_lock(5318008)');
    await client.query(SCHEMA);
    await client.query(
      `INSERT INTO insights (id, title, category, score, created_at)
       SELECT g, 'Insight #' || g, (ARRAY['${CATEGORIES.join("','")}'])[1 + g % ${CATEGORIES.length}],
              round((50 + 40 * sin(g))::numeric, 2), now() - make_interval(hours => g)
       FROM generate_series(1, 60) g ON CONFLICT (id) DO NOTHING`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Runs one statement; a failure keeps its SQL so the leaky twin can show it. */
export async function query<R extends pg.QueryResultRow>(db: pg.Pool | pg.Client, sql: string, params: unknown[] = []): Promise<R[]> {
  try {
    return (await db.query<R>(sql, params)).rows;
  } catch (err) {
    throw new QueryError(sql, err as Error);
  }
}

export const listInsights = (db: pg.Pool, limit: number) =>
  query<Insight>(db, 'SELECT id, title, category, score, created_at FROM insights ORDER BY created_at DESC LIMIT $1', [limit]);

export const insightById = async (db: pg.Pool, id: number) =>
  (await query<Insight>(db, 'SELECT id, title, category, score, created_at FROM insights WHERE id = $1', [id]))[0] ?? null;

/** One trend point: the score drifts with time so a stream visibly moves. */
export const TREND_SQL = 'SELECT id, score + 5 * sin(extract(epoch FROM clock_timestamp()) / 10) AS score, clock_timestamp() AS at FROM insights WHERE id = $1';
