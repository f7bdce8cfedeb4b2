import { z } from 'zod';
import { CheckCategory, CheckResult, CheckSeverity, CheckStatus } from './check';

export const Verdict = z.enum(['ready', 'not_ready']);

/** What one check cost the score, and why. */
export const PointsLost = z.object({
  id: z.string(),
  severity: CheckSeverity,
  status: CheckStatus,
  /** fail, warn (half credit) or unknown (skipped / error: never counted as pass). */
  reason: z.enum(['fail', 'warn', 'unknown']),
  points: z.number(),
});

export const CategoryScore = z.object({
  category: CheckCategory,
  score: z.number(),
  pass: z.number().int(),
  warn: z.number().int(),
  fail: z.number().int(),
  unknown: z.number().int(),
});

export const ProbeSummary = z.object({
  name: z.string(),
  status: z.enum(['ok', 'error', 'skipped']),
  durationMs: z.number().nullable(),
  detail: z.string().nullable(),
});

export const RunDelta = z.object({
  previousRunId: z.number().int(),
  previousScore: z.number(),
  previousVerdict: Verdict,
  previousAt: z.string(),
  /** e.g. "60 → 85" */
  change: z.string(),
  statusChanges: z.array(z.object({ id: z.string(), from: CheckStatus.nullable(), to: CheckStatus })),
});

export const ReadinessReport = z.object({
  runId: z.number().int().nullable(),
  profile: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  score: z.number().int().min(0).max(100),
  verdict: Verdict,
  readyAt: z.number().int(),
  /** The lowest severity whose failing check blocks READY (the profile's `score.blockingSeverity`). */
  blockingSeverity: CheckSeverity.default('medium'),
  /** Score before the cap, when the cap applied. */
  uncappedScore: z.number().int().nullable(),
  /** Failing checks at or above the blocking severity: each caps the score below the ready line. */
  cappedBy: z.array(z.string()),
  /** Critical checks left unknown (skipped or error): while any is listed the verdict is not_ready. */
  unverified: z.array(z.string()),
  pointsLost: z.array(PointsLost),
  categories: z.array(CategoryScore),
  probes: z.array(ProbeSummary),
  previous: RunDelta.nullable(),
  results: z.array(CheckResult),
  /** Only chosen checks ran (`--only`): the score covers those alone and is not a readiness verdict. */
  partial: z.boolean().default(false),
});
export type ReadinessReport = z.infer<typeof ReadinessReport>;
export type PointsLost = z.infer<typeof PointsLost>;
export type CategoryScore = z.infer<typeof CategoryScore>;
export type ProbeSummary = z.infer<typeof ProbeSummary>;
export type RunDelta = z.infer<typeof RunDelta>;
