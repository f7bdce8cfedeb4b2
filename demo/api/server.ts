/**
 * A StartInsight-like API in plain Node `http`, on 127.0.0.1, backed by real Postgres and
 * Redis (TARGET.md). Each behaviour has a broken twin, switched on through `twins`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';
import { insightById, listInsights, prepareSchema, query } from './database';
import { HttpError, methodNotAllowed, notFound, sendError, sendJson, validationError } from './errors';
import { healthBody, liveBody, readiness } from './health';
import { applyCors, applyRequestId, applySecurityHeaders } from './http-policy';
import { clientKey, RateLimiter, rateLimitHeaders, type RateLimitRule } from './rate-limit';
import { runTrendStream, streamRegistry } from './trend-stream';
import type { Twins } from './twins';
import { listenOnLoopback } from '../../electron/core/util/listen';
import { parseEvent, verifySignature } from './webhook';

export const PRODUCTION_ORIGINS = ['https://startinsight.app', 'https://www.startinsight.app', 'https://app.startinsight.app'] as const;

const MINUTE = 60_000;
export const DEFAULT_LIMITS = {
  list: { name: 'insights-list', limit: 100, windowMs: MINUTE },
  detail: { name: 'insights-detail', limit: 200, windowMs: MINUTE },
  stream: { name: 'insights-stream', limit: 5, windowMs: MINUTE },
} satisfies Record<string, RateLimitRule>;

export interface SampleApiOptions {
  pgUrl: string;
  redisUrl: string;
  twins?: Twins;
  port?: number;
  allowedOrigins?: readonly string[];
  /** Stripe `whsec_…` secret; random per start when omitted (tests read it back from the handle). */
  webhookSecret?: string;
  /** Redis key prefix of the limiter; per-instance by default so parallel tests never share counts. */
  rateLimitPrefix?: string;
  limits?: Partial<typeof DEFAULT_LIMITS>;
  applicationName?: string;
  ssePollMs?: number;
  sseMaxMs?: number;
  /** Request-id header name (default X-Request-ID), for APIs with another convention. */
  requestIdHeader?: string;
  /** Webhook signature header (default stripe-signature). */
  webhookSignatureHeader?: string;
  /** Status for a missing or wrong webhook signature (default 400, as StartInsight); e.g. 401 for an API that answers so. */
  webhookRejectStatus?: number;
}

/** What reached the server, counted server-side (tests assert on it: requests sent, headers received). */
export interface SampleApiTraffic {
  /** Every HTTP request the server received. */
  requests: number;
  /** Requests by the Authorization header they carried (absent: not counted here). */
  authorization: Map<string, number>;
}

export interface SampleApi {
  url: string;
  traffic: SampleApiTraffic;
  port: number;
  twins: Twins;
  allowedOrigins: readonly string[];
  webhookSecret: string;
  /** When each unhandled error (a 500 the app would report to Sentry) happened, ms since the epoch; the newest 10,000. */
  errorEvents: number[];
  /** Requests this server received (all paths, or one path such as '/api/insights'): tests count traffic server-side. */
  requestsSeen(pathname?: string): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, { detail: 'Payload too large' }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function positiveId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw validationError(['path', 'id'], 'value is not a valid positive integer');
  return Number(raw);
}

function listLimit(url: URL): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return 20;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) throw validationError(['query', 'limit'], 'ensure this value is between 1 and 100');
  return Number(raw);
}

export async function startSampleApi(options: SampleApiOptions): Promise<SampleApi> {
  const twins: Twins = { ...options.twins };
  const allowedOrigins = options.allowedOrigins ?? PRODUCTION_ORIGINS;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
  const applicationName = options.applicationName ?? 'startinsight-api';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const requestIdHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const signatureHeader = (options.webhookSignatureHeader ?? 'stripe-signature').toLowerCase();
  const webhookRejectStatus = options.webhookRejectStatus ?? 400;
  const pool = new pg.Pool({ connectionString: options.pgUrl, application_name: applicationName, max: 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 2000 });
  pool.on('error', () => undefined);
  // Fail fast while Redis is down instead of queueing commands until it returns.
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => 250, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect().catch(() => undefined);
  await prepareSchema(pool);
  const limiter = new RateLimiter(redis, options.rateLimitPrefix ?? `rl:${randomBytes(4).toString('hex')}`);
  const streams = streamRegistry();

  /** Returns false when the request was refused (429 already sent). Fails open while Redis is down. */
  const rateLimit = async (req: IncomingMessage, res: ServerResponse, rule: RateLimitRule): Promise<boolean> => {
    if (twins.noRateLimit) return true;
    let decision;
    try {
      decision = await limiter.hit(rule, clientKey(req, Boolean(twins.rateLimitTrustsForwardedFor)));
    } catch {
      return true;
    }
    const headers = rateLimitHeaders(decision);
    // The twin tells a refused client to come back in 1 s whatever the window, so it is refused again.
    if (twins.rateLimitRetryAfterTooShort && !decision.allowed) headers['retry-after'] = headers['ratelimit-reset'] = '1';
    if (!decision.allowed) {
      sendJson(res, 429, { detail: `Rate limit exceeded: ${rule.limit} per ${rule.windowMs / 1000} seconds` }, headers);
      return false;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    return true;
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const only = (allowed: string) => {
      if (method !== allowed) throw methodNotAllowed();
    };
    if (path === '/health') {
      only('GET');
      // Twin: the health route raises (an unhandled exception → 500, reported to the error tracker).
      if (twins.healthThrows) throw new Error('health check handler crashed');
      return sendJson(res, 200, healthBody());
    }
    if (path === '/health/live') return only('GET'), sendJson(res, 200, liveBody());
    if (path === '/health/ready') {
      only('GET');
      const ready = await readiness(pool, redis, twins);
      return sendJson(res, ready.status, ready.body);
    }
    if (path === '/api/insights') {
      only('GET');
      const limit = listLimit(url);
      if (!(await rateLimit(req, res, limits.list))) return;
      return sendJson(res, 200, { items: await listInsights(pool, limit) });
    }
    const stream = /^\/api\/insights\/([^/]+)\/trend-stream$/.exec(path);
    if (stream) {
      only('GET');
      const id = positiveId(stream[1]!);
      if (!(await rateLimit(req, res, limits.stream))) return;
      if (!(await insightById(pool, id))) throw notFound();
      const streamOptions = { pgUrl: options.pgUrl, applicationName, pollMs: options.ssePollMs ?? 1000, maxMs: options.sseMaxMs ?? 3_600_000, holdConnection: Boolean(twins.sseHoldsDbConnection) };
      return runTrendStream(req, res, id, streamOptions, streams);
    }
    const detail = /^\/api\/insights\/([^/]+)$/.exec(path);
    if (detail) {
      only('GET');
      const id = positiveId(detail[1]!);
      if (!(await rateLimit(req, res, limits.detail))) return;
      const insight = await insightById(pool, id);
      if (!insight) throw notFound();
      return sendJson(res, 200, insight);
    }
    if (path === '/api/payments/webhook') {
      only('POST');
      const payload = await readBody(req);
      const header = req.headers[signatureHeader];
      if (!twins.unsignedWebhooksAccepted) {
        try {
          verifySignature(webhookSecret, payload, Array.isArray(header) ? header[0] : header);
        } catch (err) {
          if (err instanceof HttpError && webhookRejectStatus !== err.status) throw new HttpError(webhookRejectStatus, err.body);
          throw err;
        }
      }
      const event = twins.unsignedWebhooksAccepted ? { type: 'unverified' } : parseEvent(payload);
      return sendJson(res, 200, { received: true, type: event.type });
    }
    if (path === '/api/test-sentry') {
      only('GET');
      // Raises like StartInsight's Sentry test route; the SQL makes a leaky handler show itself.
      await query(pool, 'SELECT secret_key FROM sentry_test_table WHERE id = 1');
      throw new Error('Sentry test error');
    }
    throw notFound();
  };

  const seen = new Map<string, number>();
  const errorEvents: number[] = [];
  const traffic: SampleApiTraffic = { requests: 0, authorization: new Map() };
  const server = createServer((req, res) => {
    traffic.requests += 1;
    const pathname = (req.url ?? '/').split('?')[0]!;
    // Bounded: a scanner's random paths must not grow the map without end.
    if (seen.has(pathname) || seen.size < 1000) seen.set(pathname, (seen.get(pathname) ?? 0) + 1);
    const authorization = req.headers.authorization;
    if (authorization) traffic.authorization.set(authorization, (traffic.authorization.get(authorization) ?? 0) + 1);
    applyRequestId(req, res, twins, requestIdHeader);
    applySecurityHeaders(res, twins);
    if (applyCors(req, res, allowedOrigins, twins)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    route(req, res, url).catch((err: unknown) => {
      // What the app's Sentry SDK would capture: every unhandled exception (not HttpErrors).
      if (!(err instanceof HttpError)) {
        errorEvents.push(Date.now());
        if (errorEvents.length > 10_000) errorEvents.splice(0, errorEvents.length - 10_000);
      }
      sendError(res, err, Boolean(twins.leakErrorDetails));
    });
  });
  server.keepAliveTimeout = 10_000;
  const port = await listenOnLoopback(server, options.port ?? 0, 'the sample API');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    traffic,
    errorEvents,
    twins,
    allowedOrigins,
    webhookSecret,
    requestsSeen: (pathname) => (pathname === undefined ? traffic.requests : (seen.get(pathname) ?? 0)),
    async close() {
      streams.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
