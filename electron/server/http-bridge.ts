/**
 * `preflight serve`: the built renderer plus the contract over HTTP (calls) and SSE (events).
 * Bound to 127.0.0.1 only; every API request must carry the per-launch token, and the Host
 * header must name this loopback server (no DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { dispatchCall } from '../../shared/dispatch';
import type { Engine } from '../core/api/engine';
import { listenOnLoopback } from '../core/util/listen';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const MAX_BODY_BYTES = 1_000_000;

export interface BridgeOptions {
  engine: Engine;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface RunningBridge {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { engine, rendererDir } = options;
  let port = options.port ?? 0;
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = engine.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  const serveStatic = (pathname: string, res: ServerResponse) => {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = normalize(join(rendererDir, relative));
    const inside = file.startsWith(normalize(rendererDir) + sep);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(rendererDir, 'index.html');
    if (!existsSync(target)) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('The renderer is not built. Run `npm run build:renderer`.');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(target)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': target.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
    });
    createReadStream(target).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      sendJson(res, 421, { error: { message: 'This server only answers to 127.0.0.1.', code: 'bad_host' } });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: { message: 'method not allowed', code: 'method' } });
        return;
      }
      serveStatic(url.pathname, res);
      return;
    }
    const given = (req.headers['x-preflight-token'] as string | undefined) ?? url.searchParams.get('token');
    if (!sameToken(given, token)) {
      sendJson(res, 401, { error: { message: 'Missing or wrong token: open the URL that `preflight serve` printed.', code: 'unauthorized' } });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    const match = /^\/api\/call\/([a-z0-9.-]+)$/i.exec(url.pathname);
    if (match && req.method === 'POST') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        sendJson(res, 415, { error: { message: 'Send application/json.', code: 'bad_content_type' } });
        return;
      }
      let input: unknown;
      try {
        const text = await readBody(req);
        input = text ? JSON.parse(text) : {};
      } catch (err) {
        sendJson(res, 400, { error: { message: `Unreadable request body: ${(err as Error).message}`, code: 'bad_input' } });
        return;
      }
      const envelope = await dispatchCall(engine.handlers, match[1]!, input);
      sendJson(res, 'error' in envelope && envelope.error.code === 'unknown_call' ? 404 : 200, envelope);
      return;
    }
    sendJson(res, 404, { error: { message: 'not found', code: 'not_found' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: (err as Error).message, code: 'failed' } });
      else res.end();
    });
  });
  const keepAlive = setInterval(() => {
    for (const res of sseClients) res.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  try {
    port = await listenOnLoopback(server, port, 'the Preflight UI');
  } catch (err) {
    clearInterval(keepAlive);
    unsubscribe();
    throw err;
  }

  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of sseClients) res.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
