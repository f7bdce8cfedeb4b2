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

/** How a face colours a figure: decided in the engine from a check's verdict, never by the UI from its own numbers. */
export const Tone = z.enum(['ok', 'warn', 'bad', 'neutral']);
export type Tone = z.infer<typeof Tone>;

/** One check's verdict on a watcher's latest sample, as the faces show it. */
export const Judgement = z.object({ status: CheckStatus, tone: Tone, summary: z.string() });
export type Judgement = z.infer<typeof Judgement>;

/** Judgements by check id (e.g. 'pg.pool-utilization'); null when the tick has no sample. */
export const Judgements = z.record(z.string(), Judgement).nullable();
export type Judgements = z.infer<typeof Judgements>;
