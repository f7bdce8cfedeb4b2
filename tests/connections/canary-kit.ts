/** What the canary tests share: a contract caller that keeps every answer, and a walk of the data folder. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../electron/core/api/engine';
import { dispatchCall } from '../../shared/dispatch';

/** Calls `name` on the engine `engine()` returns, keeping every envelope in `answers` (searched for the canary later). */
export function recordingCaller(engine: () => Engine, answers: unknown[]) {
  return async (name: string, input: unknown): Promise<unknown> => {
    const envelope = await dispatchCall(engine().handlers, name, input);
    answers.push(envelope);
    if ('error' in envelope) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.result;
  };
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Copies everything written to stdout and stderr to `onChunk` (still printed); `restore` gets the undo of each. */
export function captureOutput(onChunk: (text: string) => void, restore: (() => void)[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      onChunk(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
}
