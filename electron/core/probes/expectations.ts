/**
 * The keys of a profile's `expectations` that only a probe reads (how to observe, not how to
 * judge). Every other key is declared by the check that judges it (checks/<target>/<id>.ts).
 */
import { z } from 'zod';
import { Id, validRegExp } from '../profile/fields';

export const PROBE_EXPECTATIONS = {
  redis: {
    /** Seconds between the check run's two INFO samples (the window rates are computed over). */
    windowSeconds: z.number().positive().max(60).default(1),
    /** Managed Redis (e.g. Upstash) answers only part of INFO. */
    partialInfo: z.boolean().default(false),
  },
  repo: {
    rules: z
      .array(
        z.strictObject({
          id: Id,
          description: z.string(),
          under: z.string().min(1),
          extensions: z.array(z.string().startsWith('.')).min(1),
          /** A JavaScript regular expression; any match (outside comments, if asked) is a finding. */
          pattern: z.string().min(1).refine(validRegExp, 'a valid regular expression'),
          ignoreComments: z.boolean().default(true),
        }),
      )
      .default([]),
  },
};
