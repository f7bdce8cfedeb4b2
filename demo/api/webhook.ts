/**
 * Stripe-style webhook verification: `stripe-signature: t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256(secret, `${t}.${rawBody}`), compared in constant time, within a 5-minute tolerance.
 * Twin `unsignedWebhooksAccepted`: any body is accepted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors';

const TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, payload: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export function verifySignature(secret: string, payload: string, header: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): void {
  if (!header) throw new HttpError(400, { detail: 'Missing stripe-signature header' });
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!Number.isInteger(timestamp) || signatures.length === 0) throw new HttpError(400, { detail: 'Invalid signature' });
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) throw new HttpError(400, { detail: 'Invalid signature' });
  const expected = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest();
  const ok = signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw new HttpError(400, { detail: 'Invalid signature' });
}

export function parseEvent(payload: string): { type: string } {
  try {
    const event = JSON.parse(payload) as { type?: unknown };
    return { type: typeof event.type === 'string' ? event.type : 'unknown' };
  } catch {
    throw new HttpError(400, { detail: 'Invalid payload' });
  }
}
