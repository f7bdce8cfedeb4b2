/**
 * The state and last error of one watched target, kept by the engine so every face can ask for
 * it (`<feature>.status`) instead of relying on having seen a live event.
 */
import type { TargetStatus } from '../../../shared/schemas/target-status';

export class TargetHealth {
  private status: TargetStatus;

  constructor(now: string = new Date().toISOString()) {
    this.status = { state: 'starting', since: now, lastOkAt: null, lastError: null };
  }

  ok(at: string): void {
    if (this.status.state === 'auth_failed') return;
    if (this.status.state !== 'up') this.status = { ...this.status, state: 'up', since: at };
    this.status = { ...this.status, lastOkAt: at };
  }

  fail(at: string, message: string, authFailed = false): void {
    const state = authFailed ? 'auth_failed' : 'down';
    if (this.status.state === 'auth_failed') return;
    this.status = { ...this.status, state, since: this.status.state === state ? this.status.since : at, lastError: { at, message } };
  }

  get state(): TargetStatus['state'] {
    return this.status.state;
  }

  snapshot(): TargetStatus {
    return { ...this.status, lastError: this.status.lastError ? { ...this.status.lastError } : null };
  }
}
