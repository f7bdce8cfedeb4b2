/**
 * GET /api/insights/:id/trend-stream — Server-Sent Events. Good: every poll opens its own
 * short-lived DB session (connect, one query, close), so idle streams hold no connection.
 * Twin `sseHoldsDbConnection`: one session is opened per stream and held for its whole life.
 * Either way the stream ends when the client goes away or after `maxMs` (1 hour by default).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { TREND_SQL, query } from './database';

export interface TrendStreamOptions {
  pgUrl: string;
  applicationName: string;
  pollMs: number;
  maxMs: number;
  holdConnection: boolean;
}

export interface OpenStreams {
  add(end: () => void): () => void;
  closeAll(): void;
}

export function streamRegistry(): OpenStreams {
  const ends = new Set<() => void>();
  return {
    add(end) {
      ends.add(end);
      return () => ends.delete(end);
    },
    closeAll() {
      for (const end of [...ends]) end();
    },
  };
}

async function openSession(options: TrendStreamOptions): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: options.pgUrl, application_name: options.applicationName });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function runTrendStream(req: IncomingMessage, res: ServerResponse, id: number, options: TrendStreamOptions, registry: OpenStreams): Promise<void> {
  // The twin's held session is opened before the first byte, like a request-scoped dependency.
  const held = options.holdConnection ? await openSession(options) : null;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': stream open\n\n');
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    unregister();
    void held?.end().catch(() => undefined);
    res.end();
  };
  const unregister = registry.add(end);
  const deadline = setTimeout(end, options.maxMs);
  req.on('close', () => {
    clearTimeout(deadline);
    end();
  });

  const poll = async () => {
    if (ended) return;
    try {
      let rows;
      if (held) rows = await query(held, TREND_SQL, [id]);
      else {
        const session = await openSession(options);
        try {
          rows = await query(session, TREND_SQL, [id]);
        } finally {
          await session.end().catch(() => undefined);
        }
      }
      if (!ended) res.write(`event: trend\ndata: ${JSON.stringify(rows[0] ?? null)}\n\n`);
    } catch {
      if (!ended) res.write(`event: error\ndata: ${JSON.stringify({ detail: 'trend temporarily unavailable' })}\n\n`);
    }
    if (!ended) timer = setTimeout(() => void poll(), options.pollMs);
  };
  void poll();
}
