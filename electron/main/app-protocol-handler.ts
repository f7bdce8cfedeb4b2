/**
 * The renderer is served from `app://preflight/…`, a privileged scheme of our own, instead of
 * file:// (which would let any page read any local file and makes every file "same origin").
 * This is the handler: it maps a URL onto the renderer build folder and refuses anything that
 * would leave it. Kept free of the 'electron' import so it runs, and is tested, in plain Node.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
const APP_HOST = 'preflight';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page the window loads, and the only page allowed to call the contract over IPC. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function refuse(status: number, why: string): Response {
  return new Response(why, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The file under `root` that `url` names, or why it is refused. Decodes the path once (so
 * `%2e%2e` and `%2f` cannot smuggle a `..` past URL normalisation), refuses backslashes and NUL
 * bytes, and requires the resolved path, symlinks followed, to stay inside `root`.
 */
function resolveAppFile(rawUrl: string, root: string): { file: string } | { status: number; why: string } {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { status: 400, why: 'Not a URL.' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404, why: 'Unknown host.' };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, why: 'Malformed path encoding.' };
  }
  if (path.includes('\0') || path.includes('\\')) return { status: 403, why: 'Refused: path outside the app.' };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { status: 403, why: 'Refused: path outside the app.' };
  if (!existsSync(root)) return { status: 500, why: 'The UI build is missing: run `npm run build` (or reinstall the app).' };
  const realRoot = realpathSync(root);
  const target = resolve(realRoot, ...(segments.length ? segments : ['index.html']));
  if (!inside(realRoot, target)) return { status: 403, why: 'Refused: path outside the app.' };
  if (!existsSync(target) || !statSync(target).isFile()) return { status: 404, why: 'Not found.' };
  // A symlink inside the build must not lead out of it either.
  if (!inside(realRoot, realpathSync(target))) return { status: 403, why: 'Refused: path outside the app.' };
  return { file: target };
}

/** The `protocol.handle('app', …)` handler for the renderer build in `root`, with the app's CSP on every answer. */
export function createAppProtocolHandler(root: string, contentSecurityPolicy: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Only GET.');
    const found = resolveAppFile(request.url, root);
    if ('status' in found) return refuse(found.status, found.why);
    const body = request.method === 'HEAD' ? null : await readFile(found.file);
    const type = CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(body, {
      status: 200,
      headers: { 'content-type': type, 'content-security-policy': contentSecurityPolicy, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' },
    });
  };
}

