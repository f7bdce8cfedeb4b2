import { Command, InvalidArgumentError } from 'commander';
import { startAppSessions } from '../../../demo/app-sessions';
import { applyDemoMigrations, startCacheTraffic } from '../../../demo/demo-database';
import { parseTwins, TWIN_NAMES, type Twins } from '../../../demo/api/twins';
import { PRODUCTION_ORIGINS } from '../../../demo/api/server';
import { startDemoStack } from '../../../demo/stack';
import { HttpExpectations } from '../../../shared/schemas/http';
import { createEngine } from '../../core/api/engine';
import { startBridge } from '../../server/http-bridge';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { info } from '../output';
import { APP_VERSION } from '../version';
import { positiveInt } from './pg';
import { waitForSignal } from './serve';

function twinList(value: string): Twins {
  try {
    return parseTwins(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('start a throw-away demo stack (PostgreSQL + Redis + a StartInsight-like API + simulated app traffic) and serve the UI pointed at it')
    .option('--port <n>', 'port for the UI (default: a free port)', positiveInt)
    .option('--api-port <n>', 'port for the sample API (default: a free port)', positiveInt)
    .option('--twins <list>', `comma-separated broken twins to switch on in the sample API (${TWIN_NAMES.join(', ')})`, twinList)
    .action(async (opts: { port?: number; apiPort?: number; twins?: Twins }) => {
      const rendererDir = await ensureRendererBuilt(info);
      info('Starting a throw-away PostgreSQL cluster, redis-server and the sample API…');
      const stack = await startDemoStack({ port: opts.apiPort, twins: opts.twins });
      // profiles/demo.yaml reads the stack's addresses from these; the Overview page runs in
      // this process, so its checks find them too.
      const demoEnv = { DEMO_API_URL: stack.api.url, DEMO_DATABASE_URL: stack.postgres.url, DEMO_REDIS_URL: stack.redis.url };
      Object.assign(process.env, demoEnv);
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      try {
        await applyDemoMigrations(stack.postgres.url);
        const cache = await startCacheTraffic(stack.redis.url);
        const sessions = await startAppSessions(stack.postgres.url);
        await engine.handlers['pg.watch']({ url: stack.postgres.url, intervalMs: 2000, budget: 50, planLimit: 60 });
        await engine.handlers['redis.watch']({ url: stack.redis.url, intervalMs: 2000, thresholds: { hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 } });
        // The Endpoints page opens on the sample API, cross-checked against its own Postgres and Redis.
        await engine.handlers['http.watch']({
          baseUrl: stack.api.url,
          intervalMs: 5000,
          expectations: HttpExpectations.parse({ allowedOrigins: [...PRODUCTION_ORIGINS] }),
          pgUrl: stack.postgres.url,
          redisUrl: stack.redis.url,
        });
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        const twins = Object.keys(stack.api.twins);
        info(
          `Demo stack is up:\n  PostgreSQL  ${stack.postgres.url}\n  Redis       ${stack.redis.url}\n` +
            `  API         ${stack.api.url}   (twins: ${twins.length ? twins.join(', ') : 'none — the good stack'})\n\n` +
            `Try: npx preflight http --base-url ${stack.api.url}\n\n` +
            `Run the readiness checks of profiles/demo.yaml (Overview page, or from another shell):\n` +
            Object.entries(demoEnv).map(([k, v]) => `  export ${k}='${v}'\n`).join('') +
            `  npx preflight check --profile profiles/demo.yaml --env local\n\n` +
            `Open the UI:\n\n  ${bridge.url}\n\nEverything is deleted when you stop (Ctrl+C).`,
        );
        await waitForSignal();
        info('Stopping the demo stack…');
        await bridge.close();
        await sessions.stop();
        await cache.stop();
      } finally {
        await engine.close();
        await stack.stop();
      }
    });
}
