/**
 * What leaves the probe is masked: secret-looking headers and JSON fields become
 * `***** (N chars)`, URLs lose their passwords, `name=value` secrets and bearer tokens in text
 * are hidden. Bodies are pretty-printed when they are JSON. All of it is linear in the body,
 * which the client caps at 64 KiB before it gets here.
 */
import { maskSecretsInText, scrubMessage } from '../../util/redact';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|stripe-signature)$/i;
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|dsn|private[-_]?key|signature/i;

const masked = (value: string) => `***** (${value.length} chars)`;

export function maskHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    out[k.toLowerCase()] = SECRET_HEADER.test(k) ? masked(value) : scrubMessage(value);
  }
  return out;
}

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? masked(String(v)) : maskValue(v)]));
  }
  return typeof value === 'string' ? maskSecretsInText(value) : value;
}

export function maskBody(text: string): string {
  try {
    return JSON.stringify(maskValue(JSON.parse(text)), null, 2);
  } catch {
    // Not JSON (or JSON cut at the size limit): the text scanner, which also finds "name": "value".
    return maskSecretsInText(text);
  }
}
