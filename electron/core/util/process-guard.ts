/**
 * Last-resort handlers for long-running processes (the Electron main process, `preflight serve`
 * and `demo`): a promise rejection or exception nobody caught is logged, with URL passwords and
 * secret query parameters masked, instead of killing the process without a word. The process
 * keeps running: a monitor that vanishes mid-incident is worse than one that logs and carries on.
 */
import { scrubMessage } from './redact';

let installed: ((line: string) => void) | null = null;

function describe(kind: string, reason: unknown): string {
  const text = reason instanceof Error ? (reason.stack ?? `${reason.name}: ${reason.message}`) : String(reason);
  return `preflight: ${kind} (logged, still running): ${scrubMessage(text)}`;
}

/** Installs the handlers once per process; later calls are no-ops. */
export function guardProcess(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (installed) return;
  installed = log;
  process.on('unhandledRejection', (reason) => log(describe('unhandled promise rejection', reason)));
  process.on('uncaughtException', (err) => log(describe('uncaught exception', err)));
}
