import { z } from 'zod';
import { IndexReport } from '../schemas/indexes';
import { TargetStatus } from '../schemas/target-status';
import { PostgresUrl } from '../schemas/urls';


export const IndexTarget = z.object({
  targetId: z.string(),
  label: z.string(),
  /** The catalog is re-read this often (a slow loop: minutes, never every sample). */
  intervalMs: z.number(),
  expectations: z.number(),
  fingerprint: z.string(),
  /** State of the catalog reads and the last one that failed (kept after recovery, with its time). */
  status: TargetStatus,
});
export type IndexTarget = z.infer<typeof IndexTarget>;

const TargetRef = z.object({ targetId: z.string().min(1).max(100) });

export const indexCalls = {
  /** The expectation file shipped for StartInsight, as YAML text to start from. */
  'indexes.defaultExpectations': { input: z.object({}), output: z.object({ yaml: z.string(), source: z.string() }) },
  'indexes.watch': {
    input: z.object({
      url: PostgresUrl,
      /** A YAML list of expected indexes, or a profile with expectations.indexes. */
      expectYaml: z.string().min(1).max(200_000),
      intervalMs: z.number().int().min(60_000).max(3_600_000).default(300_000),
    }),
    output: IndexTarget,
  },
  'indexes.unwatch': { input: TargetRef, output: z.object({ stopped: z.boolean() }) },
  'indexes.targets': { input: z.object({}), output: z.array(IndexTarget) },
  /** One target with its current state and last error: what the page reads on mount. */
  'indexes.status': { input: TargetRef, output: IndexTarget },
  /** The latest report; null until the first catalog read finishes. */
  'indexes.report': { input: TargetRef, output: IndexReport.nullable() },
  /** Re-reads the catalog now (at most once every 10 s per target). */
  'indexes.refresh': { input: TargetRef, output: IndexReport },
} as const;

export const indexEvents = {
  'indexes.report': IndexReport.extend({ targetId: z.string() }),
  /** A scheduled catalog read failed (target down, credentials revoked): the last report is stale. */
  'indexes.failed': z.object({ targetId: z.string(), at: z.string(), message: z.string() }),
} as const;
