import { Command } from 'commander';
import { startAppSessions } from '../../../demo/app-sessions';
import { createEngine } from '../../core/api/engine';
import { startPostgres } from '../../core/ephemeral/postgres';
import { startRedis } from '../../core/ephemeral/redis';
import { startBridge } from '../../server/http-bridge';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { info } from '../output';
import { APP_VERSION } from '../version';
import { positiveInt } from './pg';
import { waitForSignal } from './serve';

export function demoCommand(): Command {
  return new Command('demo')
    .description('start a throw-away demo stack (PostgreSQL + Redis + simulated app traffic) and serve the UI pointed at it')
    .option('--port <n>', 'port for the UI (default: a free port)', positiveInt)
    .action(async (opts: { port?: number }) => {
      const rendererDir = await ensureRendererBuilt(info);
      info('Starting a throw-away PostgreSQL cluster and redis-server…');
      const pg = await startPostgres({ maxConnections: 60 });
      const redis = await startRedis();
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      try {
        const sessions = await startAppSessions(pg.url);
        await engine.handlers['pg.watch']({ url: pg.url, intervalMs: 2000, budget: 50, planLimit: 60 });
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        info(
          `Demo stack is up:\n  PostgreSQL  ${pg.url}\n  Redis       ${redis.url}\n\n` +
            `Open the UI:\n\n  ${bridge.url}\n\nEverything is deleted when you stop (Ctrl+C).`,
        );
        await waitForSignal();
        info('Stopping the demo stack…');
        await bridge.close();
        await sessions.stop();
      } finally {
        await engine.close();
        await Promise.all([pg.destroy(), redis.destroy()]);
      }
    });
}
