import { Command, InvalidArgumentError } from 'commander';
import { parseTwins, TWIN_NAMES, type Twins } from '../../../demo/api/twins';
import { runDemo, type RunningDemo } from '../../../demo/run-demo';
import { createEngine } from '../../core/api/engine';
import { startBridge } from '../../server/http-bridge';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { info } from '../output';
import { APP_VERSION } from '../version';
import { tcpPort } from '../options';
import { waitForSignal } from './serve';
import { commandSummary } from '../command-summaries';

function twinList(value: string): Twins {
  try {
    return parseTwins(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(commandSummary('demo'))
    .option('--port <n>', 'port for the UI, 1–65535 (default: a free port)', tcpPort)
    .option('--api-port <n>', 'port for the sample API, 1–65535 (default: a free port)', tcpPort)
    .option('--twins <list>', `comma-separated broken twins to switch on in the sample API (${TWIN_NAMES.join(', ')})`, twinList)
    .action(async (opts: { port?: number; apiPort?: number; twins?: Twins }) => {
      const rendererDir = await ensureRendererBuilt(info);
      info('Starting a throw-away PostgreSQL cluster, redis-server and the sample API…');
      const engine = createEngine({ transport: 'http', version: APP_VERSION });
      let demo: RunningDemo | null = null;
      try {
        demo = await runDemo(engine, { apiPort: opts.apiPort, twins: opts.twins, say: info });
        const { stack } = demo;
        const bridge = await startBridge({ engine, rendererDir, port: opts.port });
        const twins = Object.keys(stack.api.twins);
        info(
          `Demo stack is up:\n  PostgreSQL  ${stack.postgres.url}\n  Redis       ${stack.redis.url}\n` +
            `  API         ${stack.api.url}   (twins: ${twins.length ? twins.join(', ') : 'none — the good stack'})\n\n` +
            `Try: npx preflight http --base-url ${stack.api.url}\n\n` +
            `Run the readiness checks of profiles/demo.yaml (Overview page, or from another shell):\n` +
            Object.entries(demo.env).map(([k, v]) => `  export ${k}='${v}'\n`).join('') +
            `  npx preflight check --profile profiles/demo.yaml --env local\n\n` +
            `Open the UI:\n\n  ${bridge.url}\n\nEverything is deleted when you stop (Ctrl+C).`,
        );
        await waitForSignal();
        info('Stopping the demo stack…');
        await bridge.close();
      } finally {
        // The engine's connections close first, then the stack they point at.
        await engine.close();
        await demo?.stop();
      }
    });
}
