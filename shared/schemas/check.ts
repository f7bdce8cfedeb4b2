import { z } from 'zod';

/** The shape every check produces (DESIGN.md §1: checks are pure functions over observations). */
export const CheckStatus = z.enum(['pass', 'warn', 'fail', 'error', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatus>;
export const CheckCategory = z.enum(['security', 'infrastructure', 'performance']);
export const CheckSeverity = z.enum(['critical', 'high', 'medium', 'low']);

export const CheckResult = z.object({
  id: z.string(),
  title: z.string(),
  category: CheckCategory,
  severity: CheckSeverity,
  status: CheckStatus,
  /** One sentence a person reads first: what was found, with numbers, units and windows. */
  summary: z.string(),
  /** The facts the verdict rests on (never a secret). */
  evidence: z.record(z.string(), z.unknown()),
  /** The fix this check verifies. */
  fix: z.string().optional(),
  durationMs: z.number(),
});
export type CheckResult = z.infer<typeof CheckResult>;
