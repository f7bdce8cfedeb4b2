/**
 * One passive HTTP probe run: every request at once over one keep-alive agent, beside
 * Preflight's own direct Postgres/Redis probes. Nothing here changes the target: no valid
 * payment payload is sent, no endpoint is hammered (one request per probe).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HttpExpectations, type HttpExchange, type HttpExpectationsInput, type HttpObservation } from '../../../../shared/schemas/http';
import type { ProbeClient } from '../postgres';
import type { RedisProbeClient } from '../redis/client';
import { probePostgresDirect, probeRedisDirect } from './backing-services';
import { HttpProbeClient, type ProbeRequest } from './client';
import { ScheduledHttpClient } from './poll-policy';
import { probeTls } from './tls';
import { maskUrl } from '../../util/redact';

export interface PassiveRunOptions {
  expectations?: HttpExpectationsInput;
  /** Direct probes for the readiness cross-check; omit to skip that side. */
  pgUrl?: string;
  redisUrl?: string;
  /** Reuse one client across runs (a watcher); otherwise one is made and closed. */
  client?: HttpProbeClient;
  /** A watcher's long-lived direct-probe connections (used instead of pgUrl/redisUrl). */
  pgProbe?: ProbeClient;
  redisProbe?: RedisProbeClient;
  tlsCa?: string | Buffer;
}

/** A harmless event: not a payment, so even a twin that accepts it records nothing of value. */
export const WEBHOOK_PROBE_BODY = JSON.stringify({ id: 'evt_preflight_probe', type: 'preflight.signature_probe', data: { object: {} } });

export function plannedRequests(x: HttpExpectations, sentRequestId: string): ProbeRequest[] {
  const t = x.timeoutMs;
  const p = x.paths;
  const requests: ProbeRequest[] = [
    { name: 'health', path: p.health, timeoutMs: t },
    { name: 'live', path: p.live, timeoutMs: t },
    { name: 'ready', path: p.ready, timeoutMs: t },
    // Two calls without an id (two fresh ids expected) and, unless the API does not echo, one with ours.
    { name: 'request-id.fresh-1', path: p.requestId, timeoutMs: t },
    { name: 'request-id.fresh-2', path: p.requestId, timeoutMs: t },
    { name: 'security-headers', path: p.securityHeaders, timeoutMs: t },
    { name: 'errors.404', path: p.notFound, timeoutMs: t },
    { name: 'errors.422', path: p.validation, timeoutMs: t },
  ];
  if (x.requestId.echo) requests.push({ name: 'request-id.echo', path: p.requestId, headers: { [x.requestId.header.toLowerCase()]: sentRequestId }, timeoutMs: t });
  if (p.testError) requests.push({ name: 'errors.500', path: p.testError, timeoutMs: t });
  if (p.webhook) {
    const json = { 'content-type': 'application/json' };
    const forged = `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString('hex')}`;
    requests.push({ name: 'webhook.unsigned', method: 'POST', path: p.webhook, headers: json, body: WEBHOOK_PROBE_BODY, timeoutMs: t });
    requests.push({ name: 'webhook.forged', method: 'POST', path: p.webhook, headers: { ...json, [x.webhook.signatureHeader.toLowerCase()]: forged }, body: WEBHOOK_PROBE_BODY, timeoutMs: t });
  }
  for (const origin of [...x.allowedOrigins, x.foreignOrigin]) {
    requests.push({
      name: `cors.preflight ${origin}`,
      method: 'OPTIONS',
      path: p.cors,
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type' },
      timeoutMs: t,
    });
    requests.push({ name: `cors.simple ${origin}`, path: p.cors, headers: { origin }, timeoutMs: t });
  }
  return requests;
}

export async function runPassiveProbes(baseUrl: string, options: PassiveRunOptions = {}): Promise<HttpObservation> {
  const x = HttpExpectations.parse(options.expectations ?? {});
  const client = options.client ?? new HttpProbeClient(baseUrl);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const sentRequestId = `preflight-${randomUUID()}`;
  // A watcher's client carries its poll policy: only what it admits is sent, the rest is reported as withheld.
  const planned = plannedRequests(x, sentRequestId);
  const { pollable, withheld } = client instanceof ScheduledHttpClient ? client.policy.admit(planned) : { pollable: planned, withheld: null };
  try {
    const [exchanges, database, redis, tls] = await Promise.all([
      Promise.all(pollable.map((r) => client.exchange(r as Parameters<typeof client.exchange>[0]))) as Promise<HttpExchange[]>,
      options.pgProbe || options.pgUrl ? probePostgresDirect((options.pgProbe ?? options.pgUrl)!, x.timeoutMs) : null,
      options.redisProbe || options.redisUrl ? probeRedisDirect((options.redisProbe ?? options.redisUrl)!, x.timeoutMs) : null,
      baseUrl.startsWith('https:') ? probeTls(baseUrl, x.timeoutMs, { ca: options.tlsCa }) : null,
    ]);
    return {
      baseUrl: maskUrl(baseUrl),
      startedAt,
      durationMs: performance.now() - started,
      sentRequestId,
      exchanges,
      direct: { database, redis },
      tls,
      ...(withheld ? { withheld: withheld.map(({ request: r, reason }) => ({ name: r.name, method: r.method ?? 'GET', path: r.path, reason })) } : {}),
    };
  } finally {
    if (!options.client) await client.close();
  }
}
