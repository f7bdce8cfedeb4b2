/**
 * Two ways to run `preflight` in a test:
 * - runCli: in this process (electron/cli/main.ts runCli), with stdout, stderr, the exit code,
 *   environment and process-wide handlers captured and restored. Fast: no Node start, no tsx.
 * - runBinary: the real binary as a user runs it (`npx preflight …`), for the tests that prove
 *   the process itself: exit codes through bin/, signals, Ctrl+C, spawned-process isolation.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { runCli as runCliInProcess } from '../../electron/cli/main';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The run fails the test (rejects) when it takes longer; the binary is killed. */
  timeoutMs?: number;
  /** Variables added to (a value of undefined removes one from) the run's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Runs the real `preflight` binary as a user would (`npx preflight …`). */
export function runBinary(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PROJECT_ROOT, 'bin', 'preflight.mjs'), ...args],
      { cwd: PROJECT_ROOT, timeout: options.timeoutMs ?? 60_000, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const code = error && typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// Process-wide handlers a command may add (serve, watch, migrate, the process guard): removed after each run.
const HANDLED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'beforeExit', 'exit'];
const processEvents: NodeJS.EventEmitter = process;

/** One in-process run at a time: stdout, stderr and process.env are process-wide. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `preflight args` in this process and returns what the binary would have printed and its
 * exit code. Everything the run changes process-wide is put back afterwards: stdout/stderr
 * writers, process.env, process.exitCode, the working directory and any signal or error
 * handler the command installed. A command that calls process.exit fails the test instead of
 * ending the test worker.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const run = queue.then(() => runIsolated(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runIsolated(args: string[], options: CliOptions): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) =>
    ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), done?: (e?: Error | null) => void) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
      const callback = typeof encoding === 'function' ? encoding : done;
      if (callback) queueMicrotask(() => callback(null));
      return true;
    }) as typeof process.stdout.write;
  const saved = {
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    exit: process.exit,
    exitCode: process.exitCode,
    cwd: process.cwd(),
    env: { ...process.env },
    listeners: new Map(HANDLED_EVENTS.map((e) => [e, new Set(processEvents.listeners(e))])),
  };
  let exitCalled: number | string | null | undefined;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  process.exitCode = undefined;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exit = ((code?: number | string | null) => {
    exitCalled = code;
    throw new Error(`the CLI called process.exit(${String(code)}) in-process; commands return their exit code instead`);
  }) as typeof process.exit;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`preflight ${args.join(' ')} still running after ${timeoutMs} ms`)), timeoutMs);
    });
    const code = await Promise.race([runCliInProcess([...args]), timedOut]);
    if (exitCalled !== undefined) throw new Error(`the CLI called process.exit(${String(exitCalled)}) in-process`);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    clearTimeout(timer);
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    if (process.cwd() !== saved.cwd) process.chdir(saved.cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    for (const [event, before] of saved.listeners) {
      for (const listener of processEvents.listeners(event)) if (!before.has(listener)) processEvents.removeListener(event, listener as (...a: unknown[]) => void);
    }
  }
}
