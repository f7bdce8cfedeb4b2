/**
 * Renderer crashes, forwarded to the main process: the preload exposes only `call`/`on` and the
 * CSP allows no outside connection, so the renderer does not run Sentry itself. Main captures
 * the report with its own Sentry (masked by the one scrubber) when a DSN is configured.
 */
import { z } from 'zod';

export const RENDERER_ERROR_LIMITS = { name: 200, message: 2000, stack: 16_000 } as const;

export const RendererErrorReport = z.object({
  /** Where the renderer caught it. */
  source: z.enum(['window.error', 'unhandledrejection', 'react']),
  name: z.string().max(RENDERER_ERROR_LIMITS.name),
  message: z.string().max(RENDERER_ERROR_LIMITS.message),
  stack: z.string().max(RENDERER_ERROR_LIMITS.stack).nullable(),
  /** The page (hash route) it happened on, e.g. "#/postgres": never a URL with a token. */
  page: z.string().max(100),
});
export type RendererErrorReport = z.infer<typeof RendererErrorReport>;

export const telemetryCalls = {
  /** `reported` is false when crash reporting is off (no DSN, `preflight serve`) or over the rate limit. */
  'app.reportRendererError': { input: RendererErrorReport, output: z.object({ reported: z.boolean() }) },
} as const;
