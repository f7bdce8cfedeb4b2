/**
 * The renderer's own crashes, forwarded to the main process over the contract
 * (app.reportRendererError), where Sentry captures them through the one masker when a DSN is
 * configured. The renderer runs no Sentry itself: the preload exposes only call/on and the CSP
 * allows no outside connection (docs/security.md, "What Sentry may send").
 */
import { RENDERER_ERROR_LIMITS, type RendererErrorReport } from '../../shared/contracts/telemetry';
import { client } from './api/client';

const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function reportCrash(source: RendererErrorReport['source'], thrown: unknown): void {
  const error = thrown instanceof Error ? thrown : null;
  const report: RendererErrorReport = {
    source,
    name: cut(error?.name ?? 'Error', RENDERER_ERROR_LIMITS.name),
    message: cut(error ? error.message : String(thrown), RENDERER_ERROR_LIMITS.message),
    stack: error?.stack ? cut(error.stack, RENDERER_ERROR_LIMITS.stack) : null,
    // The route only: the address may still carry serve's token before it is read.
    page: cut(window.location.hash || '#/', 100),
  };
  // Reporting must never throw a second error.
  client.call('app.reportRendererError', report).catch(() => undefined);
}

export function installCrashForwarding(): void {
  window.addEventListener('error', (event) => reportCrash('window.error', event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => reportCrash('unhandledrejection', event.reason));
}
