import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli';

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the real `preflight <command>` that serves the UI, and waits for the URL it prints. */
export function startServe(args: string[] = ['serve'], timeoutMs = 90_000): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'preflight.mjs'), ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`preflight ${args.join(' ')} printed no URL within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[0],
          origin: match[1]!,
          token: match[2]!,
          stderr: () => stderr,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGINT');
              setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`preflight ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}
