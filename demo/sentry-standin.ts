/**
 * A stand-in for Sentry's web API, answering the one call the launch watch makes —
 * `GET /api/0/projects/{org}/{project}/stats/?stat=received&resolution=10s&since=&until=`
 * → `[[unixSeconds, count], …]` in 10 s buckets — from the sample API's own unhandled errors
 * (`api.errorEvents`), so a twin that throws fires the Sentry alert in tests. A wrong or
 * missing bearer token gets 401, as Sentry does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleApi } from './api/server';

export interface SentryStandIn {
  url: string;
  token: string;
  organization: string;
  projects: string[];
  /** Requests received, and how many carried a wrong token. */
  requests: number;
  refused: number;
  close(): Promise<void>;
}

export async function startSentryStandIn(options: { api: Pick<SampleApi, 'errorEvents'>; token: string; organization?: string; projects?: string[] }): Promise<SentryStandIn> {
  const organization = options.organization ?? 'demo-org';
  const projects = options.projects ?? ['startinsight-backend'];
  const handle: SentryStandIn = { url: '', token: options.token, organization, projects, requests: 0, refused: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    handle.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${handle.token}`) {
      handle.refused++;
      return send(401, { detail: 'Invalid token' });
    }
    const m = /^\/api\/0\/projects\/([^/]+)\/([^/]+)\/stats\/?$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return send(404, { detail: 'The requested resource does not exist' });
    if (decodeURIComponent(m[1]!) !== organization || !projects.includes(decodeURIComponent(m[2]!))) return send(404, { detail: 'The requested resource does not exist' });
    const now = Date.now() / 1000;
    const since = Number(url.searchParams.get('since') ?? now - 86_400);
    const until = Number(url.searchParams.get('until') ?? now);
    const step = 10;
    const first = Math.floor(since / step) * step;
    const buckets = new Map<number, number>();
    for (let t = first; t <= until; t += step) buckets.set(t, 0);
    // The first project carries the API's errors (the backend); the others (frontend) none.
    if (decodeURIComponent(m[2]!) === projects[0]) {
      for (const at of options.api.errorEvents) {
        const s = at / 1000;
        if (s < since || s > until) continue;
        const b = Math.floor(s / step) * step;
        buckets.set(b, (buckets.get(b) ?? 0) + 1);
      }
    }
    send(200, [...buckets].map(([t, n]) => [t, n]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  handle.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handle.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return handle;
}
