/**
 * The Redis sampling connection (DESIGN.md §3): one ioredis connection per target that only
 * ever sends INFO <section> and PING (plus AUTH when the URL carries credentials). No offline
 * queue — a command while disconnected fails at once instead of piling up — no ready check (it
 * would send INFO all), no CLIENT SETINFO/SETNAME, no SELECT, a connect timeout, and a capped,
 * jittered reconnect.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { maskUrl, scrubMessage } from '../../util/redact';
import { INFO_SECTIONS, type InfoSectionName } from './info';
import { UnreachableError } from '../../util/errors';
import { parseRedisUrl } from './url';

/** The target could not be reached or refused us; callers report it as down. */
export class RedisUnreachableError extends UnreachableError {
  override readonly code: string = 'target_unreachable';
}

/** Redis refused the credentials (WRONGPASS, NOAUTH): watchers stop instead of retrying. */
class RedisAuthFailedError extends RedisUnreachableError {
  override readonly code = 'auth_failed';
  readonly authFailed = true;
}

const AUTH_FAILURE = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

function unreachable(err: unknown, url: string): RedisUnreachableError {
  const message = describeRedisError(err, url);
  return AUTH_FAILURE.test((err as Error)?.message ?? '') ? new RedisAuthFailedError(message) : new RedisUnreachableError(message);
}

export interface RedisProbeOptions {
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Reconnect in the background with capped jittered backoff (watchers); off for one-shot use. */
  reconnect?: boolean;
  maxReconnectDelayMs?: number;
}

/** Full jitter over an exponential backoff, capped: spreads reconnects of many watchers. */
export function reconnectDelayMs(attempt: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, 100 * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function describeRedisError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  const where = maskUrl(url);
  const msg = scrubMessage(e?.message || String(err));
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg)) return `Connection refused by ${where}: is Redis running and listening on that host and port?`;
  if (e?.code === 'ENOTFOUND' || /ENOTFOUND/.test(msg)) return `Host not found for ${where}: check the host name.`;
  if (/ETIMEDOUT|connect timeout/i.test(msg)) return `Timed out connecting to ${where}: is the host reachable from here?`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(msg)) return `Authentication failed for ${where}: check the user and password.`;
  if (/NOPERM/.test(msg)) return `The Redis user at ${where} may not run INFO or PING (${msg}); grant +info +ping.`;
  return `${msg} (${where})`;
}

function isUnreachable(err: unknown): boolean {
  const msg = (err as Error)?.message ?? '';
  return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EPIPE|EHOSTUNREACH|Connection is closed|Stream isn't writeable|enableOfflineQueue|connect timeout|Command timed out|WRONGPASS|NOAUTH|Reached the max retries/i.test(msg);
}

export class RedisProbeClient {
  private readonly redis: Redis;
  private lastConnectionError: unknown = null;
  /** Every command this client sent (INFO sections, PING): subtracted from the server's count. */
  commandsSent = 0;

  constructor(
    readonly url: string,
    options: RedisProbeOptions = {},
  ) {
    const target = parseRedisUrl(url);
    const cap = options.maxReconnectDelayMs ?? 10_000;
    const redisOptions: RedisOptions = {
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      tls: target.tls ? {} : undefined,
      db: 0,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      disableClientInfo: true,
      autoResendUnfulfilledCommands: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      retryStrategy: options.reconnect === false ? () => null : (attempt) => reconnectDelayMs(attempt, cap),
    };
    this.redis = new Redis(redisOptions);
    // Without a listener ioredis prints every failed reconnect; keep the reason for messages.
    this.redis.on('error', (err) => {
      this.lastConnectionError = err;
    });
    this.redis.on('ready', () => {
      this.lastConnectionError = null;
    });
  }

  get label(): string {
    return maskUrl(this.url);
  }

  get status(): string {
    return this.redis.status;
  }

  private async ensureConnected(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready' || status === 'connect') return;
    if (status === 'wait' || status === 'end' || status === 'close') {
      try {
        await this.redis.connect();
      } catch (err) {
        // With reconnect off the client is finished; with it on, ioredis keeps retrying alone.
        throw unreachable(this.lastConnectionError ?? err, this.url);
      }
      return;
    }
    // 'connecting' / 'reconnecting': do not queue, report down now.
    throw unreachable(this.lastConnectionError ?? new Error(`not connected (${status})`), this.url);
  }

  private fail(err: unknown): never {
    // "Stream isn't writeable" says little; the connection's own error (refused, WRONGPASS) says why.
    if (this.lastConnectionError && /Stream isn't writeable|Connection is closed/i.test((err as Error)?.message ?? '')) err = this.lastConnectionError;
    if (isUnreachable(err)) throw unreachable(err, this.url);
    throw new Error(describeRedisError(err, this.url));
  }

  /** PING round trip in milliseconds. */
  async ping(): Promise<number> {
    await this.ensureConnected();
    const started = performance.now();
    this.commandsSent++;
    try {
      await this.redis.ping();
    } catch (err) {
      this.fail(err);
    }
    return performance.now() - started;
  }

  /**
   * One `INFO <section>` per section, written together (one round trip). A section the server
   * refuses or leaves empty comes back as null. Returns the replies and how many of our own
   * commands the server had counted when it answered the `stats` section.
   */
  async info(sections: readonly InfoSectionName[] = INFO_SECTIONS): Promise<{ replies: Partial<Record<InfoSectionName, string | null>>; ownCommandsAtStats: number; ms: number }> {
    await this.ensureConnected();
    const pipeline = this.redis.pipeline();
    for (const s of sections) pipeline.info(s);
    const before = this.commandsSent;
    this.commandsSent += sections.length;
    const started = performance.now();
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      this.fail(err);
    }
    const ms = performance.now() - started;
    if (!results) this.fail(new Error('Connection is closed'));
    const replies: Partial<Record<InfoSectionName, string | null>> = {};
    sections.forEach((s, i) => {
      const [err, value] = results![i] ?? [new Error('no reply'), null];
      if (err && isUnreachable(err)) this.fail(err);
      if (err && /NOPERM/.test(err.message)) this.fail(err);
      replies[s] = err || typeof value !== 'string' ? null : value;
    });
    // Commands before INFO stats in this batch (and every earlier one) are already counted.
    const statsIndex = sections.indexOf('stats');
    return { replies, ownCommandsAtStats: before + (statsIndex < 0 ? 0 : statsIndex), ms };
  }

  /** `INFO all` in one command: only the benchmark compares against it. */
  async infoAll(): Promise<string> {
    await this.ensureConnected();
    this.commandsSent++;
    try {
      return await this.redis.info('all');
    } catch (err) {
      this.fail(err);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect(false);
  }
}
