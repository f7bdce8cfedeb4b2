import { z } from 'zod';

/**
 * Where a watched target stands right now, as every watch page shows it on mount: a page that
 * opens after the first failure (or misses a live event) still reads the state and last error.
 * `auth_failed` is terminal: failed logins are never retried on a schedule (DESIGN.md §3).
 */
export const TargetState = z.enum(['starting', 'up', 'down', 'auth_failed']);
export type TargetState = z.infer<typeof TargetState>;

const TargetError = z.object({ at: z.string(), message: z.string() });
type TargetError = z.infer<typeof TargetError>;

export const TargetStatus = z.object({
  state: TargetState,
  /** When the target entered this state. */
  since: z.string(),
  /** The last sample or read that succeeded; null until one does. */
  lastOkAt: z.string().nullable(),
  /** The last failure, kept after recovery so a page can say what happened; null when none yet. */
  lastError: TargetError.nullable(),
});
export type TargetStatus = z.infer<typeof TargetStatus>;
