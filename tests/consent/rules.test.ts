import { describe, expect, it } from 'vitest';
import { isProductionEnvironment } from '../../electron/core/consent/production';
import { flagConfirmationFor, typedConfirmationFor } from '../../electron/core/consent/typed-confirmation';
import { consentFromFlags, ConsentError, verifyConsent, verifyTypedConsent } from '../../electron/core/consent/verify-consent';
import type { ActivePlan } from '../../shared/schemas/active';
import { confirmationMatches } from '../../shared/schemas/confirmation';

const plan = (over: Partial<ActivePlan> = {}): ActivePlan => {
  const base = { kind: 'ratelimit' as const, host: 'api.example.com:443', endpoint: 'GET /api/insights', requestCount: 101, maxConcurrency: 50, durationSeconds: null, environment: 'staging', production: false, description: 'Would send 101 requests.' };
  const p = { ...base, ...over };
  return { ...p, confirm: typedConfirmationFor(p), ...over };
};
const consent = (p: ActivePlan) => ({ host: p.host, endpoint: p.endpoint, requestCount: p.requestCount, environment: p.environment });

describe('is this production? (one module)', () => {
  it('by the profile kind or by a name containing "prod" in any case', () => {
    expect(['production', 'Prod-EU', 'preprod', 'PROD'].map((name) => isProductionEnvironment(name))).toEqual([true, true, true, true]);
    expect(['staging', 'dev', 'local', 'unspecified'].some((name) => isProductionEnvironment(name))).toBe(false);
    expect(isProductionEnvironment({ name: 'live', kind: 'production' })).toBe(true);
    expect(isProductionEnvironment({ name: 'live', kind: 'staging' })).toBe(false);
    // A kind never makes a production name safe.
    expect(isProductionEnvironment({ name: 'prod-mirror', kind: 'staging' })).toBe(true);
  });
});

describe('what is typed back (one module)', () => {
  it('a dialog or prompt: the name for production, else the host', () => {
    expect(typedConfirmationFor({ environment: 'live', host: 'db:5432', environmentKind: 'production' })).toEqual({ what: 'environment', value: 'live' });
    expect(typedConfirmationFor({ environment: 'staging', host: 'db:5432' })).toEqual({ what: 'host', value: 'db:5432' });
  });
  it('flags: production needs its name; a non-loopback host with no environment named needs the host; else nothing', () => {
    expect(flagConfirmationFor({ environment: 'production', host: '127.0.0.1:80', environmentNamed: true })).toEqual({ what: 'environment', value: 'production' });
    expect(flagConfirmationFor({ environment: 'unspecified', host: 'api.example.com', environmentNamed: false })).toEqual({ what: 'host', value: 'api.example.com' });
    expect(flagConfirmationFor({ environment: 'unspecified', host: '[::1]:8080', environmentNamed: false })).toBeNull();
    expect(flagConfirmationFor({ environment: 'staging', host: 'api.example.com', environmentNamed: true })).toBeNull();
  });
  it('matching forgives blanks around a paste, nothing else', () => {
    expect(confirmationMatches({ what: 'environment', value: 'Prod-EU' }, ' Prod-EU\n')).toBe(true);
    expect(confirmationMatches({ what: 'environment', value: 'Prod-EU' }, 'prod-eu')).toBe(false);
    expect(confirmationMatches({ what: 'host', value: 'db:5432' }, undefined)).toBe(false);
  });
});

describe('consent verification (one module)', () => {
  it('a dialog consent always carries the typed value the plan asks for', () => {
    const staging = plan();
    expect(() => verifyTypedConsent(staging, consent(staging))).toThrow(ConsentError);
    expect(() => verifyTypedConsent(staging, { ...consent(staging), typedHost: 'api.example.com:443' })).not.toThrow();
    const prod = plan({ environment: 'production', production: true });
    expect(prod.confirm).toEqual({ what: 'environment', value: 'production' });
    expect(() => verifyTypedConsent(prod, { ...consent(prod), typedEnvironment: 'Production' })).toThrow(/production environment; type its name/);
    expect(() => verifyTypedConsent(prod, { ...consent(prod), typedEnvironment: 'production' })).not.toThrow();
  });
  it('a consent that names another host, endpoint, count or environment is refused', () => {
    const p = plan();
    for (const wrong of [{ host: 'x:1' }, { endpoint: 'GET /' }, { requestCount: 5 }, { environment: 'dev' }]) {
      expect(() => verifyConsent(p, { ...consent(p), ...wrong })).toThrow(/does not match the plan/);
    }
    expect(() => verifyConsent(p, null)).toThrow(/no consent given/);
  });
  it('flags: the same typed-confirmation rule, with the flag to use in the refusal', () => {
    const prod = plan({ environment: 'Prod-EU', production: true });
    expect(() => consentFromFlags(prod, { environmentNamed: true })).toThrow(/--confirm-environment Prod-EU/);
    expect(consentFromFlags(prod, { environmentNamed: true, confirmEnvironment: 'Prod-EU' })).toMatchObject({ typedEnvironment: 'Prod-EU' });
    const remote = plan({ environment: 'unspecified' });
    expect(() => consentFromFlags(remote, { environmentNamed: false, confirmHost: 'api.example.com' })).toThrow(/--confirm-host "api.example.com" does not match/);
    expect(consentFromFlags(remote, { environmentNamed: false, confirmHost: 'api.example.com:443' })).toMatchObject({ typedHost: 'api.example.com:443' });
    expect(consentFromFlags(plan(), { environmentNamed: true })).toMatchObject({ typedHost: undefined, typedEnvironment: undefined });
  });
});
