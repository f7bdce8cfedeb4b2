/**
 * Renderer crash reports, handed to the face's reporter (main's Sentry in the desktop app).
 * A renderer stuck in an error loop must not flood the DSN: at most RATE_LIMIT reports a
 * minute, and the same error twice in a row counts once.
 */
import type { EngineContext, FeatureHandlers } from './feature';

const RATE_LIMIT = 10;
const WINDOW_MS = 60_000;

export function createTelemetryHandlers(ctx: EngineContext): FeatureHandlers<'app.reportRendererError'> {
  let sent: number[] = [];
  let last = '';
  return {
    handlers: {
      'app.reportRendererError': async (report) => {
        const forward = ctx.options.reportRendererError;
        if (!forward) return { reported: false };
        const key = `${report.name}\n${report.message}\n${report.stack ?? ''}`;
        const now = Date.now();
        sent = sent.filter((at) => now - at < WINDOW_MS);
        if (key === last || sent.length >= RATE_LIMIT) return { reported: false };
        last = key;
        sent.push(now);
        return { reported: forward(report) };
      },
    },
    close: async () => undefined,
  };
}
