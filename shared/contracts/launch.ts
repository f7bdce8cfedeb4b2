import { z } from 'zod';

/** The Launch page: a launch watch per profile and environment, its store-backed charts and alerts. */
const ProfileRef = z.object({ profile: z.string().min(1).max(200), environment: z.string().min(1).max(100) });
const SessionRef = z.object({ sessionId: z.string().min(1).max(100) });

const LaunchAlert = z.object({
  rule: z.string(),
  title: z.string(),
  severity: z.string(),
  state: z.enum(['inactive', 'pending', 'firing']),
  since: z.string().nullable(),
  value: z.number().nullable(),
});

const LaunchTransition = z.object({ at: z.string(), rule: z.string(), state: z.enum(['pending', 'firing', 'resolved']), value: z.number().nullable(), message: z.string() });

export const LaunchStatus = z.object({
  sessionId: z.string(),
  profile: z.string(),
  environment: z.string(),
  status: z.enum(['running', 'stopped', 'completed', 'failed']),
  /** True while this engine is sampling it (a stopped or crashed watch can be resumed). */
  live: z.boolean(),
  startedAt: z.string(),
  plannedEnd: z.string(),
  /** Milliseconds until the planned end (0 when it has passed). */
  timeLeftMs: z.number(),
  targets: z.array(z.object({ target: z.string(), status: z.string(), skipped: z.number().int(), failures: z.number().int(), lastError: z.string().nullable() })),
  alertsFiring: z.number().int(),
  alertsFired: z.number().int(),
  alerts: z.array(LaunchAlert),
  /** The newest alert transitions, oldest first (at most 100). */
  timeline: z.array(LaunchTransition),
  /** The desktop app is keeping the machine awake for this watch (opt-in at start). */
  keepingAwake: z.boolean().default(false),
});
export type LaunchStatus = z.infer<typeof LaunchStatus>;

const LaunchRange = z.enum(['15m', '1h', '6h', '24h']);

export const LaunchSeries = z.object({
  from: z.number(),
  to: z.number(),
  series: z.array(
    z.object({
      name: z.string(),
      unit: z.string(),
      threshold: z.number().nullable(),
      /** [time ms, value] min/max-decimated to about 2 points per pixel; null values break the line (gaps). */
      points: z.array(z.tuple([z.number(), z.number().nullable()])),
      /** Raw samples in the range before decimation. */
      rawCount: z.number().int(),
    }),
  ),
  alerts: z.array(z.object({ rule: z.string(), metric: z.string().nullable(), from: z.number(), to: z.number().nullable() })),
  gaps: z.array(z.object({ from: z.number(), to: z.number().nullable(), cause: z.string(), target: z.string().nullable() })),
  markers: z.array(z.object({ at: z.number(), label: z.string() })),
});
export type LaunchSeries = z.infer<typeof LaunchSeries>;

export const launchCalls = {
  'launch.start': {
    input: ProfileRef.extend({
      durationMs: z.number().int().min(60_000).max(7 * 86_400_000).default(86_400_000),
      resume: z.boolean().default(false),
      /** Keep the machine awake until the watch ends (the desktop app's power-save blocker; app.info says if it can). */
      keepAwake: z.boolean().default(false),
    }),
    output: LaunchStatus,
  },
  'launch.stop': { input: SessionRef, output: LaunchStatus },
  /** The newest watch of this profile and environment (live or stored), or null when none. */
  'launch.status': { input: ProfileRef, output: LaunchStatus.nullable() },
  'launch.series': { input: SessionRef.extend({ range: LaunchRange, widthPx: z.number().int().min(100).max(4000).default(800) }), output: LaunchSeries },
  'launch.mark': { input: ProfileRef.extend({ label: z.string().trim().min(1).max(200) }), output: z.object({ at: z.string(), label: z.string() }) },
  'launch.report': { input: SessionRef.extend({ format: z.enum(['md', 'html']) }), output: z.object({ text: z.string() }) },
} as const;

export const launchEvents = {
  /** An alert changed state in a live watch (the page refreshes and may notify). */
  'launch.alert': LaunchTransition.extend({ sessionId: z.string(), profile: z.string(), environment: z.string() }),
  /** A tick was committed in a live watch. */
  'launch.tick': z.object({ sessionId: z.string(), at: z.string() }),
} as const;
