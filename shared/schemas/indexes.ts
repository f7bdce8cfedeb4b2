import { z } from 'zod';

/** One expected index (profile `expectations.indexes` or a bare YAML list). */
export const IndexExpectation = z.object({
  /** `table` or `schema.table`; the schema defaults to `public`. */
  table: z.string().min(1),
  /** Key columns in order. */
  columns: z.array(z.string().min(1)).min(1),
  unique: z.boolean().default(false),
  /** The name the team knows it by; matching is by definition, the name only labels it. */
  name: z.string().min(1).optional(),
  /** Partial-index predicate, e.g. `deleted_at IS NULL`. */
  where: z.string().min(1).optional(),
  /** Access method; btree unless said otherwise. */
  method: z.string().min(1).default('btree'),
  /** Listed but not required: when absent it is reported not_applicable (with the note), never missing. */
  optional: z.boolean().default(false),
  note: z.string().optional(),
}).strict();
export type IndexExpectation = z.infer<typeof IndexExpectation>;

export const IndexStatus = z.enum(['present', 'present_other_name', 'missing', 'invalid', 'not_ready', 'not_applicable']);
export type IndexStatus = z.infer<typeof IndexStatus>;

export const IndexNote = z.object({
  kind: z.enum(['unused', 'duplicate']),
  message: z.string(),
});
export type IndexNote = z.infer<typeof IndexNote>;

export const IndexVerdict = z.object({
  name: z.string().nullable(),
  table: z.string(),
  columns: z.array(z.string()),
  unique: z.boolean(),
  where: z.string().nullable(),
  status: IndexStatus,
  /** The index (or constraint) that satisfies the expectation, when its name differs or it is broken. */
  foundAs: z.string().nullable(),
  /** Why the status is not `present`; null when present. */
  reason: z.string().nullable(),
  /** An optional expectation: never fails the check (absent → not_applicable, broken → a warning). */
  optional: z.boolean().default(false),
  notes: z.array(IndexNote),
});
export type IndexVerdict = z.infer<typeof IndexVerdict>;

export const InvalidIndex = z.object({
  schema: z.string(),
  table: z.string(),
  name: z.string(),
  columns: z.array(z.string()),
  valid: z.boolean(),
  ready: z.boolean(),
  definition: z.string(),
  fix: z.string(),
});
export type InvalidIndex = z.infer<typeof InvalidIndex>;

export const SeqScanSuspect = z.object({
  schema: z.string(),
  table: z.string(),
  seqScans: z.number(),
  seqRowsRead: z.number(),
  indexScans: z.number(),
  liveRows: z.number(),
  /** Average rows read per sequential scan. */
  rowsPerSeqScan: z.number(),
  /** Index scans / (index + sequential scans), 0..1. */
  indexScanShare: z.number(),
  reason: z.string(),
});
export type SeqScanSuspect = z.infer<typeof SeqScanSuspect>;

export const IndexReport = z.object({
  database: z.string(),
  checkedAt: z.string(),
  /** Counters (scans, rows read) cover the window since this time; null when never reset. */
  statsResetAt: z.string().nullable(),
  indexes: z.array(IndexVerdict),
  invalid: z.array(InvalidIndex),
  seqScanSuspects: z.array(SeqScanSuspect),
  counts: z.record(IndexStatus, z.number()),
  catalogMs: z.number(),
});
export type IndexReport = z.infer<typeof IndexReport>;
