import { Command } from 'commander';
import { createEngine } from '../../core/api/engine';
import { guardProcess } from '../../core/util/process-guard';
import { startBridge } from '../../server/http-bridge';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { APP_VERSION } from '../version';
import { info } from '../output';
import { tcpPort } from './pg';

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the Preflight UI and its API to a browser on 127.0.0.1 (token-protected)')
    .option('--port <n>', 'port to listen on, 1–65535 (default: a free port)', tcpPort)
    .action(async (opts: { port?: number }) => {
      guardProcess(info);
      const rendererDir = await ensureRendererBuilt(info);
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      try {
        // A port in use or not allowed is a usage error (exit 2), see core/util/listen.ts.
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        info(`Preflight is serving on 127.0.0.1 only. Open:\n\n  ${bridge.url}\n\nThe token in that URL changes at every launch. Ctrl+C stops.`);
        await waitForSignal();
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
