/**
 * The HTTP probe client: one undici Agent with keep-alive, every request with its own timeout,
 * no redirects followed and no retries. A target that does not answer yields an exchange with
 * status null and the reason, never a throw.
 */
import { performance } from 'node:perf_hooks';
import { Agent, errors, type Dispatcher } from 'undici';
import type { HttpExchange } from '../../../../shared/schemas/http';
import { scrubMessage } from '../../util/redact';
import { maskBody, maskHeaders } from './mask';

/** Bytes of a body kept, masked and checked; the rest is read and counted, never scanned. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Past this many bytes the body is not even counted: the connection is closed. */
const MAX_COUNTED_BODY_BYTES = 8 * 1024 * 1024;

export interface ProbeRequest {
  name: string;
  method?: Dispatcher.HttpMethod;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export class HttpProbeClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    options: { connections?: number } = {},
  ) {
    this.agent = new Agent({ connections: options.connections ?? 8, keepAliveTimeout: 4000, pipelining: 1, connect: { timeout: 2000 } });
  }

  async exchange(req: ProbeRequest): Promise<HttpExchange> {
    const method = req.method ?? 'GET';
    const at = new Date().toISOString();
    const base: Omit<HttpExchange, 'status' | 'latencyMs' | 'headers' | 'body' | 'bodyTruncated' | 'error'> = {
      name: req.name,
      method,
      path: req.path,
      at,
      requestHeaders: maskHeaders(req.headers ?? {}),
    };
    const started = performance.now();
    const signal = AbortSignal.timeout(req.timeoutMs);
    try {
      const res = await this.agent.request({
        origin: new URL(this.baseUrl).origin,
        path: joinPath(this.baseUrl, req.path),
        method,
        headers: req.headers,
        body: req.body,
        signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      const { text, truncated, bytes } = await readCapped(res.body);
      return {
        ...base,
        status: res.statusCode,
        latencyMs: round(performance.now() - started),
        headers: maskHeaders(res.headers),
        body: maskBody(text),
        bodyTruncated: truncated,
        bodyBytes: bytes,
        error: null,
      };
    } catch (err) {
      return { ...base, status: null, latencyMs: null, headers: {}, body: '', bodyTruncated: false, error: describeHttpError(err, req.timeoutMs) };
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function joinPath(baseUrl: string, path: string): string {
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  return `${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * The first MAX_BODY_BYTES of a body as text; the rest is counted and dropped (up to
 * MAX_COUNTED_BODY_BYTES, then the connection is closed), so a huge body costs neither memory
 * nor masking time. A failure while counting the rest keeps what was read.
 */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<{ text: string; truncated: boolean; bytes: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await iterator.next();
    } catch (err) {
      if (kept < MAX_BODY_BYTES) throw err; // the examined part itself did not arrive
      break;
    }
    if (next.done) break;
    const buf = next.value as Buffer;
    bytes += buf.length;
    if (kept < MAX_BODY_BYTES) {
      chunks.push(buf);
      kept += buf.length;
    }
    if (bytes >= MAX_COUNTED_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  const all = Buffer.concat(chunks);
  return { text: all.subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: bytes > MAX_BODY_BYTES, bytes };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function describeHttpError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs} ms (timeout)`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused (is the API running and listening on that host and port?)';
  if (code === 'ENOTFOUND') return 'host not found: check the base URL';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset by the target';
  return scrubMessage(`${code ? `${code}: ` : ''}${e?.message ?? String(err)}`);
}
