/**
 * Every check Preflight knows: the list of check modules. Adding a check is writing its module
 * (checks/<target>/<id>.ts) and adding it here; the profile's `expectations` schema, `preflight
 * check --list` and the catalogue table of docs/profiles.md are derived from this list.
 */
import corsOrigins from './env/cors-origins';
import envRequired from './env/required';
import secretStrength from './env/secret-strength';
import secretsRotated from './env/secrets-rotated';
import rateLimitBoundary from './active/ratelimit-boundary';
import xffBypass from './active/ratelimit-xff-bypass';
import sseConnectionHold from './active/sse-connection-hold';
import corsAllowlist from './http/cors-allowlist';
import errorsNoLeak from './http/errors-no-leak';
import healthBasic from './http/health-basic';
import healthLive from './http/health-live';
import healthReady from './http/health-ready';
import healthReadyConsistent from './http/health-ready-consistent';
import requestIdEchoed from './http/request-id-echoed';
import requestIdGenerated from './http/request-id-generated';
import securityHeaders from './http/security-headers';
import tlsExpiry from './http/tls-expiry';
import webhookSignature from './http/webhook-signature';
import idleInTransaction from './postgres/idle-in-transaction';
import pgIndexes from './postgres/indexes';
import lockWaits from './postgres/lock-waits';
import migrationsApplied from './postgres/migrations-applied';
import poolUtilization from './postgres/pool-utilization';
import evictions from './redis/evictions';
import fragmentation from './redis/fragmentation';
import hitRate from './redis/hit-rate';
import memory from './redis/memory';
import rejectedConnections from './redis/rejected-connections';
import noAlert from './repo/no-alert';
import type { CheckDefinition } from './define';

export const CATALOGUE = [
  healthBasic,
  healthLive,
  healthReady,
  healthReadyConsistent,
  requestIdGenerated,
  requestIdEchoed,
  corsAllowlist,
  webhookSignature,
  securityHeaders,
  tlsExpiry,
  errorsNoLeak,
  rateLimitBoundary,
  xffBypass,
  sseConnectionHold,
  poolUtilization,
  idleInTransaction,
  lockWaits,
  pgIndexes,
  migrationsApplied,
  hitRate,
  memory,
  evictions,
  rejectedConnections,
  fragmentation,
  envRequired,
  secretStrength,
  corsOrigins,
  noAlert,
  secretsRotated,
] as const;

/** The catalogue as plain definitions, for code that walks every check. */
export const CHECKS: readonly CheckDefinition[] = CATALOGUE;

export const CHECK_IDS: ReadonlySet<string> = new Set(CHECKS.map((c) => c.id));
