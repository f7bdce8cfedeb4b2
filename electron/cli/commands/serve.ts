import { Command } from 'commander';
import { createEngine } from '../../core/api/engine';
import { guardProcess } from '../../core/util/process-guard';
import { startBridge } from '../../server/http-bridge';
import { liveWatchViews } from '../../core/watch/live-registry';
import { startMetricsServer, watchRegistry } from '../../core/watch/prometheus';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { APP_VERSION } from '../version';
import { info } from '../output';
import { positiveInt } from './pg';

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the Preflight UI and its API to a browser on 127.0.0.1 (token-protected)')
    .option('--port <n>', 'port to listen on (default: a free port)', positiveInt)
    .option('--metrics-port <n>', 'also serve Prometheus /metrics of running launch watches on 127.0.0.1:N (docs/monitoring.md)', positiveInt)
    .action(async (opts: { port?: number; metricsPort?: number }) => {
      guardProcess(info);
      const rendererDir = await ensureRendererBuilt(info);
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      const bridge = await startBridge({ engine, rendererDir, port: opts.port });
      info(`Preflight is serving on 127.0.0.1 only. Open:\n\n  ${bridge.url}\n\nThe token in that URL changes at every launch. Ctrl+C stops.`);
      const metrics = opts.metricsPort ? await startMetricsServer(watchRegistry(liveWatchViews), opts.metricsPort) : null;
      if (metrics) info(`Prometheus metrics of running launch watches at ${metrics.url}`);
      await waitForSignal();
      await metrics?.close();
      await bridge.close();
      await engine.close();
    });
}

/** Waits for Ctrl+C; meanwhile a stray rejection or exception is logged, not fatal (serve, demo). */
export function waitForSignal(): Promise<void> {
  guardProcess(info);
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
