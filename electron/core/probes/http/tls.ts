/** Reads the target's TLS certificate (without trusting it blindly) for days-to-expiry. */
import { connect } from 'node:tls';
import type { TlsObservation } from '../../../../shared/schemas/http';

const DAY_MS = 86_400_000;

export function probeTls(baseUrl: string, timeoutMs: number, options: { ca?: string | Buffer } = {}): Promise<TlsObservation> {
  const url = new URL(baseUrl);
  const host = url.hostname;
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const done = (o: Omit<TlsObservation, 'host'>) => {
      socket.destroy();
      resolve({ host, ...o });
    };
    const socket = connect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, rejectUnauthorized: false, ca: options.ca, timeout: timeoutMs });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const validTo = cert?.valid_to ? new Date(cert.valid_to) : null;
      done({
        validTo: validTo ? validTo.toISOString() : null,
        daysToExpiry: validTo ? Math.floor(((validTo.getTime() - Date.now()) / DAY_MS) * 10) / 10 : null,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
        error: null,
      });
    });
    socket.once('timeout', () => done({ validTo: null, daysToExpiry: null, authorized: false, authorizationError: null, error: `no TLS handshake within ${timeoutMs} ms` }));
    socket.once('error', (err) => done({ validTo: null, daysToExpiry: null, authorized: false, authorizationError: null, error: err.message }));
  });
}
