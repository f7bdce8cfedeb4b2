import { z } from 'zod';
import { CheckStatus } from './check';

const StepState = z.enum(['done', 'pending', 'failing', 'not_started']);

const SignOff = z.object({
  seq: z.number().int(),
  name: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  hash: z.string(),
  /** False when this row fails the journal's hash check (edited or moved behind our back). */
  intact: z.boolean(),
});

export const StepView = z.object({
  id: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  source: z.string().nullable(),
  kind: z.enum(['automated', 'manual', 'both']),
  state: StepState,
  checks: z.array(
    z.object({
      id: z.string(),
      /** Latest status from a run that started after the phase did; null when none yet. */
      status: CheckStatus.nullable(),
      summary: z.string().nullable(),
      runId: z.number().int().nullable(),
      at: z.string().nullable(),
    }),
  ),
  signOff: SignOff.nullable(),
  /** For a step that names alerts in `watch:` — the newest completed launch watch's verdict, or null when none ran since the phase started. */
  watch: z.object({ held: z.boolean(), line: z.string(), sessionId: z.string() }).nullable().optional(),
});

const PhaseView = z.object({ id: z.string(), title: z.string(), startedAt: z.string().nullable(), steps: z.array(StepView) });

const JournalRowView = z.object({
  seq: z.number().int(),
  kind: z.string(),
  phaseId: z.string().nullable(),
  stepId: z.string().nullable(),
  name: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  hash: z.string(),
  prevHash: z.string(),
});

export const WalkthroughView = z.object({
  walkthroughId: z.string(),
  profile: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  startedBy: z.string(),
  phases: z.array(PhaseView),
  integrity: z.object({ ok: z.boolean(), rows: z.number().int(), broken: z.array(z.object({ seq: z.number().int(), reason: z.string() })) }),
  journal: z.array(JournalRowView),
  /** The latest complete run since the walkthrough started: the only source of the readiness headline. */
  latestRun: z.object({ runId: z.number().int(), score: z.number(), verdict: z.string(), at: z.string() }).nullable(),
  /** A partial (`--only`) run newer than latestRun, shown labelled partial and never as the headline. */
  latestPartialRun: z.object({ runId: z.number().int(), checks: z.number().int(), score: z.number(), verdict: z.string(), at: z.string() }).nullable().default(null),
  done: z.number().int(),
  total: z.number().int(),
});
export type WalkthroughView = z.infer<typeof WalkthroughView>;
export type StepView = z.infer<typeof StepView>;
type PhaseView = z.infer<typeof PhaseView>;
