/**
 * The sample API's broken twins: each switch turns one correct behaviour into the mistake a
 * Preflight check exists to catch. All off = the good stack. demo/README.md lists them.
 */
export const TWIN_NAMES = [
  'noRateLimit',
  'rateLimitTrustsForwardedFor',
  'rateLimitRetryAfterTooShort',
  'corsReflectsAnyOrigin',
  'readinessIgnoresRedis',
  'noRequestId',
  'unsignedWebhooksAccepted',
  'leakErrorDetails',
  'sseHoldsDbConnection',
  'noSecurityHeaders',
  'healthThrows',
] as const;

export type TwinName = (typeof TWIN_NAMES)[number];
export type Twins = Partial<Record<TwinName, boolean>>;

function isTwinName(name: string): name is TwinName {
  return (TWIN_NAMES as readonly string[]).includes(name);
}

/** Parses `a,b` into twin switches; throws naming the unknown switch. */
export function parseTwins(list: string): Twins {
  const twins: Twins = {};
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!isTwinName(raw)) throw new Error(`unknown twin "${raw}" (known: ${TWIN_NAMES.join(', ')})`);
    twins[raw] = true;
  }
  return twins;
}
