import { Command } from 'commander';
import { createEngine } from '../../core/api/engine';
import { guardProcess } from '../../core/util/process-guard';
import { startBridge } from '../../server/http-bridge';
import { liveWatchViews } from '../../core/watch/live-registry';
import { startMetricsServer, watchRegistry } from '../../core/watch/prometheus';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { APP_VERSION } from '../version';
import { info } from '../output';
import { tcpPort } from '../options';
import { commandSummary } from '../command-summaries';

export function serveCommand(): Command {
  return new Command('serve')
    .description(commandSummary('serve'))
    .option('--port <n>', 'port to listen on, 1–65535 (default: a free port)', tcpPort)
    .option('--metrics-port <n>', 'also serve Prometheus /metrics of running launch watches on 127.0.0.1:N (docs/monitoring.md)', tcpPort)
    .action(async (opts: { port?: number; metricsPort?: number }) => {
      guardProcess(info);
      const rendererDir = await ensureRendererBuilt(info);
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      try {
        // A port in use or not allowed is a usage error (exit 2), see core/util/listen.ts.
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        const metrics = opts.metricsPort ? await startMetricsServer(watchRegistry(liveWatchViews), opts.metricsPort).catch(async (err: unknown) => {
          await bridge.close();
          throw err;
        }) : null;
        info(`Preflight is serving on 127.0.0.1 only. Open:\n\n  ${bridge.url}\n\nThe token in that URL changes at every launch. Ctrl+C stops.`);
        if (metrics) info(`Prometheus metrics of running launch watches at ${metrics.url}`);
        await waitForSignal();
        await metrics?.close();
        await bridge.close();
      } finally {
        await engine.close();
      }
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
