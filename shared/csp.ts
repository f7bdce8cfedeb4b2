/** One CSP for the Electron window and `preflight serve`: no remote code, no inline scripts. */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** Sent as a response header (Electron session, `preflight serve`). */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** Directives browsers refuse in a <meta> CSP (they log an error and ignore them there). */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The same policy for the `<meta http-equiv="Content-Security-Policy">` the Vite build writes
 * into renderer/index.html, so the page is protected even when loaded without the header:
 * every directive of the header except those a meta element cannot carry.
 */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((d) => !HEADER_ONLY_DIRECTIVES.includes(d.split(' ')[0]!)).join('; ');
