/**
 * Saved connections, per profile and environment. The secret (the whole connection URL) is
 * encrypted by the OS keychain (Electron safeStorage) and never crosses to the renderer: the
 * UI sees a masked URL, and asks the engine to watch a saved connection by id.
 */
import { z } from 'zod';
import { RedisThresholds } from '../schemas/redis';

const Scope = z.object({ profile: z.string().min(1).max(100), environment: z.string().min(1).max(100) });
export const ConnectionKind = z.enum(['postgres', 'redis']);

export const SavedConnection = Scope.extend({
  id: z.string(),
  kind: ConnectionKind,
  label: z.string(),
  /** The URL with its password and secret parameters masked. */
  maskedUrl: z.string(),
  savedAt: z.string(),
});
export type SavedConnection = z.infer<typeof SavedConnection>;

export const KeychainStatus = z.object({
  /** True when secrets can be saved on this machine now. */
  canSave: z.boolean(),
  /** safeStorage's backend: keychain (macOS), dpapi (Windows), gnome_libsecret, kwallet, basic_text (Linux), none. */
  backend: z.string(),
  /** Why saving is refused, and what to do, when canSave is false. */
  refusedReason: z.string().nullable(),
  /** The user accepted Linux's basic_text backend (no real keyring) for this machine. */
  basicTextAccepted: z.boolean(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

/** What the user types to accept basic_text: it names what they accept. */
export const BASIC_TEXT_CONSENT = 'store secrets without a keyring on this machine';

export const connectionsCalls = {
  'connections.status': { input: z.object({}), output: KeychainStatus },
  'connections.list': { input: Scope, output: z.array(SavedConnection) },
  'connections.save': {
    input: Scope.extend({
      kind: ConnectionKind,
      url: z
        .string()
        .min(1)
        .max(2000)
        .refine((u) => /^(postgres(ql)?|rediss?):\/\//.test(u), 'must start with postgres://, postgresql://, redis:// or rediss://'),
      label: z.string().max(100).optional(),
    }),
    output: SavedConnection,
  },
  'connections.delete': { input: z.object({ id: z.string().min(1).max(100) }), output: z.object({ deleted: z.boolean() }) },
  /**
   * Starts watching a saved connection (pg.watch / redis.watch with its decrypted URL, in the
   * engine). A Postgres watch is named after the saved environment (cancel/terminate confirmations
   * name it); budget and plan limit apply to Postgres, thresholds to Redis.
   */
  'connections.watch': {
    input: z.object({
      id: z.string().min(1).max(100),
      intervalMs: z.number().int().min(1000).max(600_000).default(5000),
      budget: z.number().int().positive().max(100_000).nullable().default(null),
      planLimit: z.number().int().positive().max(1_000_000).nullable().default(null),
      thresholds: RedisThresholds.default({ hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 }),
    }),
    output: z.object({ kind: ConnectionKind, targetId: z.string() }),
  },
  'connections.acceptBasicText': { input: z.object({ confirm: z.literal(BASIC_TEXT_CONSENT) }), output: KeychainStatus },
} as const;

