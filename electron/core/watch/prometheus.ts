/**
 * Prometheus exposition of a running watch through prom-client: the latest value of every
 * metric (`preflight_metric{metric,profile,environment}`), each alert's state
 * (`preflight_alert_state`: 0 inactive, 1 pending, 2 firing), target status and skipped ticks.
 * Served on 127.0.0.1 only (`watch --metrics-port N`, `serve --metrics-port N`); docs/monitoring.md.
 */
import { createServer, type Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import type { AlertSnapshot } from './alert-evaluator';
import type { MetricValues } from './metrics';
import { listenOnLoopback } from '../util/listen';

export interface WatchView {
  profile: string;
  environment: string;
  latestValues: MetricValues;
  alerts: AlertSnapshot[];
  targetStates: { target: string; status: string; skipped: number; failures: number }[];
}

const STATE = { inactive: 0, pending: 1, firing: 2 } as const;

export function watchRegistry(views: () => WatchView[]): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'preflight_metric',
    help: 'Latest value of a launch-watch metric (units in docs/monitoring.md)',
    labelNames: ['metric', 'profile', 'environment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views()) for (const [metric, value] of Object.entries(v.latestValues)) if (value !== null) this.set({ metric, profile: v.profile, environment: v.environment }, value);
    },
  });
  new Gauge({
    name: 'preflight_alert_state',
    help: 'Alert state: 0 inactive, 1 pending, 2 firing',
    labelNames: ['rule', 'severity', 'profile', 'environment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views()) for (const a of v.alerts) this.set({ rule: a.rule, severity: a.severity, profile: v.profile, environment: v.environment }, STATE[a.state]);
    },
  });
  new Gauge({
    name: 'preflight_target_up',
    help: '1 when the target answered its last sample',
    labelNames: ['target', 'profile', 'environment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views()) for (const t of v.targetStates) this.set({ target: t.target, profile: v.profile, environment: v.environment }, t.status === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'preflight_skipped_ticks',
    help: 'Ticks skipped because the previous sample of the target was still running',
    labelNames: ['target', 'profile', 'environment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views()) for (const t of v.targetStates) this.set({ target: t.target, profile: v.profile, environment: v.environment }, t.skipped);
    },
  });
  return registry;
}

/** Serves GET /metrics on 127.0.0.1:port (0 = a free port). */
export async function startMetricsServer(registry: Registry, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics\n');
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
  });
  // A port in use is the person's to change (exit 2), like serve --port.
  const actual = await listenOnLoopback(server, port, 'Prometheus /metrics');
  return {
    url: `http://127.0.0.1:${actual}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
