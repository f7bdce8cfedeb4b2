/**
 * Cross-cutting response policy: request ids, security headers and CORS. Each has a twin.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Twins } from './twins';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a caller's well-formed X-Request-ID (or the configured header), otherwise generates a UUID. */
export function applyRequestId(req: IncomingMessage, res: ServerResponse, twins: Twins, header = 'x-request-id'): void {
  if (twins.noRequestId) return;
  const incoming = req.headers[header];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(header, id);
}

export function applySecurityHeaders(res: ServerResponse, twins: Twins): void {
  if (twins.noSecurityHeaders) {
    res.setHeader('x-powered-by', 'Express');
    return;
  }
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  res.setHeader('cache-control', 'no-store');
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id';

/**
 * Applies CORS. Returns true when the request was a preflight and has been answered.
 * Good: only allow-listed origins are echoed (with credentials); a foreign preflight gets 400.
 * Twin `corsReflectsAnyOrigin`: every origin is echoed with credentials.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[], twins: Twins): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && (twins.corsReflectsAnyOrigin || allowedOrigins.includes(origin));
  res.setHeader('vary', 'Origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
  }
  const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!isPreflight) return false;
  if (!allowed) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Disallowed CORS origin');
    return true;
  }
  res.writeHead(204, { 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600' });
  res.end();
  return true;
}
