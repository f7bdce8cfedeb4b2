/**
 * `poll: true` may mark a safe read for the scheduled watchers, never a rate-limited, streaming,
 * webhook or error route (DESIGN.md §3). A rule across keys of `expectations.http` that
 * different checks declare, so it is applied to the assembled section (profile/expectations.ts).
 */
import type { z } from 'zod';

/** `/api/insights/{id}` matches `/api/insights/7`; query strings are ignored. */
function sameRoute(template: string, path: string): boolean {
  const strip = (p: string) => (p.split('?')[0] ?? p).replace(/\/+$/, '') || '/';
  const source = strip(template).split(/\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}$`).test(strip(path));
}

export interface PollMarks {
  requestId?: { path?: string; poll: boolean };
  cors?: { path: string; poll: boolean };
  webhook?: { path: string };
  errors?: { probePaths: string[]; testErrorPath?: string };
  rateLimits: { path: string }[];
  sse?: { path: string };
}

export function refusePollOfUnsafeRoutes(http: PollMarks, ctx: z.RefinementCtx): void {
  const unsafe = [
    ...http.rateLimits.map((r) => ({ path: r.path, what: 'a rate-limited route (rateLimits)' })),
    ...(http.sse ? [{ path: http.sse.path, what: 'the SSE stream' }] : []),
    ...(http.webhook ? [{ path: http.webhook.path, what: 'the webhook' }] : []),
    ...(http.errors?.probePaths ?? []).map((p) => ({ path: p, what: 'an error probe path' })),
    ...(http.errors?.testErrorPath ? [{ path: http.errors.testErrorPath, what: 'the test-error route' }] : []),
  ];
  for (const key of ['requestId', 'cors'] as const) {
    const entry = http[key];
    if (!entry?.poll || !entry.path) continue;
    const clash = unsafe.find((u) => sameRoute(u.path, entry.path!));
    if (clash) ctx.addIssue({ code: 'custom', path: [key, 'poll'], message: `${entry.path} is ${clash.what}: it can never be polled on a schedule; point ${key}.path at a health endpoint or another safe read` });
  }
}
