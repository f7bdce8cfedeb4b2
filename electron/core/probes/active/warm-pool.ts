/**
 * An undici Pool whose TCP (and TLS) connections are opened before the burst, without sending
 * any HTTP request (a warm-up request would itself count against the limiter). No pipelining:
 * one request at a time per connection. No retries: undici's Pool never retries by itself.
 */
import { Pool, buildConnector } from 'undici';
import type { Socket } from 'node:net';
import { UnreachableError } from '../../util/errors';

/** The target refused or never accepted a connection; callers report it as down. */
export class HttpUnreachableError extends UnreachableError {
  override readonly code = 'target_unreachable';
}

export interface WarmPool {
  pool: Pool;
  /** Connections actually opened ahead of the burst. */
  warmed: number;
  /** Destroys every socket at once (used by cancel). */
  destroy(): Promise<void>;
}

export async function openWarmPool(origin: URL, connections: number, connectTimeoutMs: number, signal: AbortSignal): Promise<WarmPool> {
  const base = buildConnector({ timeout: connectTimeoutMs, keepAlive: true });
  const https = origin.protocol === 'https:';
  const target: buildConnector.Options = {
    hostname: origin.hostname.replace(/^\[|\]$/g, ''),
    host: origin.host,
    protocol: origin.protocol,
    port: origin.port || (https ? '443' : '80'),
    servername: https ? origin.hostname : undefined,
  };
  const opened: Socket[] = [];
  const results = await Promise.allSettled(
    Array.from(
      { length: connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          if (signal.aborted) return reject(new Error('cancelled'));
          base(target, (err, socket) => (err ? reject(err) : resolve(socket!)));
        }),
    ),
  );
  for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
  const idle = [...opened];
  const pool = new Pool(origin.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: (options, callback) => {
      let socket = idle.shift();
      while (socket && socket.destroyed) socket = idle.shift();
      // undici expects the callback after connect() returns, as a real connect would.
      if (socket) queueMicrotask(() => callback(null, socket));
      else base(options, callback);
    },
  });
  if (results.every((r) => r.status === 'rejected') && results.length > 0) {
    await pool.destroy().catch(() => undefined);
    const reason = (results[0] as PromiseRejectedResult).reason as { code?: string; message?: string };
    throw new HttpUnreachableError(`Could not connect to ${origin.host}: ${reason?.code ?? ''} ${reason?.message ?? String(reason)}`.replace(/\s+/g, ' ').trim());
  }
  return {
    pool,
    warmed: opened.length,
    async destroy() {
      for (const s of idle.splice(0)) s.destroy();
      await pool.destroy().catch(() => undefined);
    },
  };
}
