import type { TargetStatus } from '../../../shared/schemas/target-status';

interface Rewatchable {
  readonly targetId: string;
  readonly status: TargetStatus;
  setIntervalMs(ms: number): void;
  stop(): Promise<void>;
}

/**
 * The one rule for a watch request on a target that already has a watcher: after a failed login,
 * watching again is the user's explicit retry (the stopped watcher is removed, the caller starts a
 * new one); otherwise the running watcher is reused with the requested interval.
 * Returns the watcher to reuse, or undefined when the caller should start one.
 */
export async function reuseOrRetire<W extends Rewatchable>(watchers: Map<string, W>, existing: W, intervalMs: number): Promise<W | undefined> {
  if (existing.status.state === 'auth_failed') {
    watchers.delete(existing.targetId);
    await existing.stop();
    return undefined;
  }
  existing.setIntervalMs(intervalMs);
  return existing;
}
