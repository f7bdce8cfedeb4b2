/**
 * Error bodies. The good stack answers like StartInsight's global handlers: generic text, no
 * detail. The `leakErrorDetails` twin answers like a debug build: message, stack, SQL.
 */
import type { ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? status));
  }
}

export const notFound = () => new HttpError(404, { detail: 'Not Found' });
export const methodNotAllowed = () => new HttpError(405, { detail: 'Method Not Allowed' });
export const validationError = (location: string[], message: string) =>
  new HttpError(422, { detail: [{ loc: location, msg: message, type: 'value_error' }] });

/** An error raised while running SQL keeps the statement so a leaky handler can echo it. */
export class QueryError extends Error {
  constructor(
    readonly sql: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'ProgrammingError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown, leak: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) return sendJson(res, err.status, err.body);
  if (!leak) return sendJson(res, 500, { detail: 'Internal server error' });
  const e = err instanceof Error ? err : new Error(String(err));
  sendJson(res, 500, {
    detail: `${e.name}: ${e.message}`,
    ...(e instanceof QueryError ? { sql: e.sql } : {}),
    traceback: e.stack ?? '',
  });
}

/** The exception class name a Python app would print: ConnectionError, TimeoutError, … */
export function exceptionName(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'TimeoutError') return 'TimeoutError';
  const text = `${e?.code ?? ''} ${e?.message ?? ''}`;
  if (/ECONNREFUSED|ECONNRESET|EPIPE|Connection is closed|isn't writeable|connect|terminat/i.test(text)) return 'ConnectionError';
  return e?.name && e.name !== 'Error' ? e.name : 'Exception';
}
