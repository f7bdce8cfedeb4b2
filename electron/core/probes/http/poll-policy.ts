/**
 * What a scheduler may poll over HTTP (DESIGN.md §3): only the health endpoints and paths a
 * profile marks `poll: true`, with GET (or the CORS preflight's OPTIONS). A rate-limited,
 * database-backed, webhook or error route is never on a schedule: every 5 s on
 * `/api/insights` spent the very rate-limit budget the boundary probe measures, and would
 * send ~17,000 requests a day to a database-backed route in production.
 *
 * Two halves, like the refusal of active probes: `PollableRequest` is a branded type only
 * `PollPolicy.admit` makes, and `ScheduledHttpClient` checks every request again at run time.
 */
import type { HttpExpectations } from '../../../../shared/schemas/http';
import { NotSchedulableError } from '../active/guardrails';
import { HttpProbeClient, type ProbeRequest } from './client';

declare const pollableBrand: unique symbol;
/** A request a scheduler may send: only `PollPolicy.admit` makes one. */
export type PollableRequest = ProbeRequest & { readonly [pollableBrand]: true };

const POLL_METHODS = new Set(['GET', 'OPTIONS']);

const pathOnly = (path: string) => (path.split('?')[0] ?? path).replace(/\/+$/, '') || '/';

export class PollPolicy {
  /** Pathnames a scheduler may call (query strings ignored: `/health?x=1` is `/health`). */
  readonly paths: ReadonlySet<string>;
  /** Routes that can never be polled, even when marked: the webhook, the error probes. */
  private readonly never: ReadonlySet<string>;

  constructor(x: Pick<HttpExpectations, 'paths' | 'pollPaths'>) {
    const p = x.paths;
    this.never = new Set([p.webhook, p.testError, p.notFound, p.validation].filter((s): s is string => !!s).map(pathOnly));
    this.paths = new Set([p.health, p.live, p.ready, ...x.pollPaths].map(pathOnly).filter((s) => !this.never.has(s)));
  }

  /** Why this request may not be polled, or null when it may. */
  refusal(req: Pick<ProbeRequest, 'method' | 'path' | 'body'>): string | null {
    const method = req.method ?? 'GET';
    const path = pathOnly(req.path);
    if (this.never.has(path)) return `${req.path} is a webhook or error route, which is never polled`;
    if (!POLL_METHODS.has(method) || req.body !== undefined) return `${method} ${req.path} is not a read: a scheduler sends only GET (and the CORS preflight's OPTIONS)`;
    if (!this.paths.has(path)) return `${req.path} is neither a health endpoint nor a path the profile marks poll: true`;
    return null;
  }

  /** The requests a scheduler may send, and those it must leave to a one-shot run. */
  admit(requests: ProbeRequest[]): { pollable: PollableRequest[]; withheld: { request: ProbeRequest; reason: string }[] } {
    const pollable: PollableRequest[] = [];
    const withheld: { request: ProbeRequest; reason: string }[] = [];
    for (const request of requests) {
      const reason = this.refusal(request);
      if (reason) withheld.push({ request, reason });
      else pollable.push(request as PollableRequest);
    }
    return { pollable, withheld };
  }
}

/** The HTTP client a watcher holds: it refuses, before sending, any request the policy does not admit. */
export class ScheduledHttpClient extends HttpProbeClient {
  constructor(
    baseUrl: string,
    readonly policy: PollPolicy,
  ) {
    super(baseUrl);
  }

  override exchange(req: PollableRequest): ReturnType<HttpProbeClient['exchange']> {
    const reason = this.policy.refusal(req);
    if (reason) return Promise.reject(new NotSchedulableError(`Refused to poll: ${reason} (DESIGN.md §3).`));
    return super.exchange(req);
  }
}
