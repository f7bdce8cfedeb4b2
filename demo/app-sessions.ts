/**
 * Simulated application sessions on the demo database, so a newcomer's first look at the
 * Postgres page shows a realistic mix: an idle pool, a few active queries, one transaction
 * left idle, and a lock wait now and then.
 */
import pg from 'pg';

export interface AppSessions {
  stop(): Promise<void>;
}

export async function startAppSessions(url: string, options: { poolSize?: number; application?: string } = {}): Promise<AppSessions> {
  const application = options.application ?? 'startinsight-api';
  const clients: pg.Client[] = [];
  for (let i = 0; i < (options.poolSize ?? 12); i++) {
    const c = new pg.Client({ connectionString: url, application_name: application });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
  }
  await clients[0]!.query('CREATE TABLE IF NOT EXISTS demo_counter (id int PRIMARY KEY, n bigint NOT NULL)');
  await clients[0]!.query('INSERT INTO demo_counter VALUES (1, 0) ON CONFLICT DO NOTHING');
  let stopped = false;

  // One session sits idle in a transaction that holds the counter row, every other minute.
  const holder = clients[1]!;
  const waiter = clients[2]!;
  const cycle = async () => {
    while (!stopped) {
      await holder.query('BEGIN');
      await holder.query('UPDATE demo_counter SET n = n + 1 WHERE id = 1');
      const wait = waiter.query("SET lock_timeout = '8s'").then(() => waiter.query('UPDATE demo_counter SET n = n + 1 WHERE id = 1')).catch(() => undefined);
      await sleep(10_000);
      await holder.query('COMMIT').catch(() => undefined);
      await wait;
      await sleep(20_000);
    }
  };
  const busy = async (client: pg.Client, index: number) => {
    while (!stopped) {
      await client.query('SELECT pg_sleep($1)', [0.2 + (index % 4) * 0.3]).catch(() => undefined);
      await sleep(500 + ((index * 997) % 2500));
    }
  };
  void cycle().catch(() => undefined);
  clients.slice(3, 7).forEach((c, i) => void busy(c, i).catch(() => undefined));

  return {
    async stop() {
      stopped = true;
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
