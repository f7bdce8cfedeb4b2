/**
 * The profile's health bodies as zod schemas, for the HTTP checks. (Paths, origins and statuses:
 * profile/http-expectations.ts, which the probe's runner reads too.)
 */
import { z } from 'zod';
import type { HealthExpectation, PassiveHttpExpectations } from './http/expectations';
import { STARTINSIGHT_BODIES, type HealthBodySchemas } from './http-bodies';

/** The part of a profile's expectations the passive HTTP run reads (the whole profile's fits). */
type Expectations = { http?: PassiveHttpExpectations };
type Health = HealthExpectation;

/** A JSON value: objects must contain these fields (others may be present), leaves must be equal. */
function containing(value: unknown): z.ZodType {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return z.looseObject(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, containing(v)])));
  }
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return z.literal(value as string | number | boolean | null);
  return z.custom((v) => JSON.stringify(v) === JSON.stringify(value), `expected ${JSON.stringify(value)}`);
}

function unhealthyShape(h: Health): z.ZodType | null {
  const u = h.whenUnhealthy;
  if (!u?.bodyStatus) return null;
  const state = u.checkPattern ? z.union([z.literal('healthy'), z.string().regex(new RegExp(u.checkPattern))]) : z.string();
  return z.looseObject({ status: z.literal(u.bodyStatus), checks: z.record(z.string(), state) });
}

/** Health bodies from the profile; ids the profile does not describe keep StartInsight's. */
export function healthSchemasFor(expectations: Expectations): HealthBodySchemas {
  const list = expectations.http?.health ?? [];
  const pick = (id: Health['id']): z.ZodType | null => {
    const h = list.find((x) => x.id === id);
    if (!h?.body) return null;
    const good = containing(h.body);
    const bad = unhealthyShape(h);
    return bad ? z.union([good, bad]) : good;
  };
  return {
    health: pick('basic') ?? STARTINSIGHT_BODIES.health,
    live: pick('live') ?? STARTINSIGHT_BODIES.live,
    ready: pick('ready') ?? STARTINSIGHT_BODIES.ready,
  };
}
