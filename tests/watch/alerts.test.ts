/** Alert rules from the profile (metric names, thresholds owned by checks) and the pending → firing → resolved machine. */
import { describe, expect, it } from 'vitest';
import { parseProfile, ProfileError } from '../../electron/core/profile/load';
import { AlertEvaluator } from '../../electron/core/watch/alert-evaluator';
import { resolveAlertRules, type ResolvedRule } from '../../electron/core/watch/alert-rules';

const base = (alerts: string, expectations = '') => `version: 1
name: p
environments:
  - { name: prod, kind: production }
${expectations}
alerts:
${alerts}
`;

function errorOf(text: string): ProfileError {
  try {
    parseProfile(text, 'p.yaml');
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('the profile loaded');
}

describe('alert rules in the profile', () => {
  it('an unknown metric is a profile error with its file:line', () => {
    const err = errorOf(base(`  - { id: a, title: A, severity: high, op: '>', value: 1 }\n  - { id: b, title: B, metric: pg.conections, op: '>', value: 1, severity: high }`).replace('{ id: a, title: A, severity: high', '{ id: a, title: A, metric: pg.connections, severity: high'));
    expect(err.message).toMatch(/^p\.yaml:8:\d+ alerts\[1\]\.metric: unknown metric "pg\.conections"/m);
  });

  it('a rule restating the threshold its check owns is refused, naming the profile field', () => {
    const err = errorOf(base(`  - { id: pool, title: Pool, metric: pg.utilization, op: '>=', value: 0.8, severity: critical }`));
    expect(err.message).toMatch(/alerts\[0\]\.value: pg\.utilization is judged by check pg\.pool-utilization, whose threshold is expectations\.postgres\.poolUtilization\.fail/);
  });

  it('takes the check’s threshold from expectations: changing the check’s band changes the alert', () => {
    const text = base(`  - { id: pool, title: Pool, metric: pg.utilization, severity: critical }\n  - { id: hit, title: Hit, metric: redis.hit_rate, severity: medium }`, 'expectations:\n  postgres: { poolUtilization: { warn: 0.1, fail: 0.6 } }\n  redis: { hitRateAtLeast: 0.9 }');
    const { rules, problems } = resolveAlertRules(parseProfile(text, 'p.yaml'));
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.id, r.op, r.value])).toEqual([
      ['pool', '>=', 0.6],
      ['hit', '<', 0.9],
    ]);
  });

  it('a metric no check judges needs op and value', () => {
    const err = errorOf(base(`  - { id: s, title: Sentry, metric: sentry.errors_per_hour, severity: high }`));
    expect(err.message).toMatch(/alerts\[0\]\.op: give "op" and "value": no check judges this metric/);
  });

  it('the shipped profiles load (their alerts name known metrics and copy no check threshold)', async () => {
    const { loadProfile } = await import('../../electron/core/profile/load');
    for (const f of ['profiles/startinsight.yaml', 'profiles/demo.yaml']) {
      const loaded = loadProfile(f, { env: { DEMO_API_URL: 'http://127.0.0.1:1' } });
      expect(resolveAlertRules(loaded.profile).problems, f).toEqual([]);
    }
  });
});

const rule = (over: Partial<ResolvedRule> = {}): ResolvedRule => ({ id: 'r', title: 'R', metric: 'm', unit: 'u', op: '>', value: 10, clearValue: 8, forSeconds: 0, severity: 'high', thresholdFrom: 'test', ...over });

describe('alert evaluator', () => {
  it('pending → firing only after forSeconds; a pending alert that clears resolves without firing', () => {
    const ev = new AlertEvaluator([rule({ forSeconds: 10 })]);
    expect(ev.observe({ m: 11 }, 0).map((t) => t.state)).toEqual(['pending']);
    expect(ev.observe({ m: 12 }, 5_000)).toEqual([]);
    expect(ev.observe({ m: 5 }, 6_000).map((t) => t.state)).toEqual(['resolved']);
    expect(ev.firedCount).toBe(0);
    ev.observe({ m: 11 }, 7_000);
    expect(ev.observe({ m: 11 }, 17_000).map((t) => t.state)).toEqual(['firing']);
    expect(ev.firedCount).toBe(1);
  });

  it('hysteresis: a firing alert resolves only once the value is back past the clear value', () => {
    const ev = new AlertEvaluator([rule()]);
    expect(ev.observe({ m: 11 }, 0).map((t) => t.state)).toEqual(['firing']);
    expect(ev.observe({ m: 9 }, 1000)).toEqual([]);
    expect(ev.observe({ m: 10.5 }, 2000)).toEqual([]);
    expect(ev.observe({ m: 8 }, 3000).map((t) => t.state)).toEqual(['resolved']);
  });

  it('a missing value changes nothing', () => {
    const ev = new AlertEvaluator([rule()]);
    ev.observe({ m: 11 }, 0);
    expect(ev.observe({ m: null }, 1000)).toEqual([]);
    expect(ev.snapshot()[0]!.state).toBe('firing');
  });

  it('restores a resumed session: firing stays firing, counted as fired', () => {
    const ev = new AlertEvaluator([rule()]);
    ev.restore([{ rule: 'r', state: 'firing', value: 11, at: 0, message: '' }]);
    expect(ev.firedCount).toBe(1);
    expect(ev.observe({ m: 7 }, 1000).map((t) => t.state)).toEqual(['resolved']);
  });
});
