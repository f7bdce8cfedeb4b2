import { Command, InvalidArgumentError } from 'commander';
import { startAppSessions } from '../../../demo/app-sessions';
import { parseTwins, TWIN_NAMES, type Twins } from '../../../demo/api/twins';
import { startDemoStack } from '../../../demo/stack';
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
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      try {
        const sessions = await startAppSessions(stack.postgres.url);
        await engine.handlers['pg.watch']({ url: stack.postgres.url, intervalMs: 2000, budget: 50 });
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        const twins = Object.keys(stack.api.twins);
        info(
          `Demo stack is up:\n  PostgreSQL  ${stack.postgres.url}\n  Redis       ${stack.redis.url}\n` +
            `  API         ${stack.api.url}   (twins: ${twins.length ? twins.join(', ') : 'none — the good stack'})\n\n` +
            `Try: npx preflight http --base-url ${stack.api.url}\n\n` +
            `Open the UI:\n\n  ${bridge.url}\n\nEverything is deleted when you stop (Ctrl+C).`,
        );
        await waitForSignal();
        info('Stopping the demo stack…');
        await bridge.close();
        await sessions.stop();
      } finally {
        await engine.close();
        await stack.stop();
      }
    });
}
