import { describe, expect, it } from 'vitest';
import { scoreResults } from '../../electron/core/engine/score';
import type { CheckResult } from '../../shared/schemas/check';

const POLICY = { readyAt: 80, blockingSeverity: 'medium' } as const;
const r = (id: string, severity: CheckResult['severity'], status: CheckResult['status'], category: CheckResult['category'] = 'security'): CheckResult => ({
  id, title: id, category, severity, status, summary: '', evidence: {}, durationMs: 0,
});

describe('readiness score', () => {
  it('weights by severity: critical 10, high 5, medium 3, low 1; warn earns half', () => {
    // total weight 19; earned 10 + 5*0.5 + 0 + 1 = 13.5 → 71.05… → 71
    const s = scoreResults([r('a', 'critical', 'pass'), r('b', 'high', 'warn'), r('c', 'medium', 'fail'), r('d', 'low', 'pass')], POLICY);
    expect(s.score).toBe(71);
    expect(s.verdict).toBe('not_ready');
    expect(s.pointsLost).toEqual([
      { id: 'c', severity: 'medium', status: 'fail', reason: 'fail', points: 15.8 },
      { id: 'b', severity: 'high', status: 'warn', reason: 'warn', points: 13.2 },
    ]);
  });

  it('all passing is 100 and ready', () => {
    const s = scoreResults([r('a', 'critical', 'pass'), r('b', 'low', 'pass')], POLICY);
    expect(s).toMatchObject({ score: 100, verdict: 'ready', cappedBy: [], unverified: [], uncappedScore: null });
  });

  it('a failing critical check caps the score one below the ready line, even when the rest would be 95', () => {
    const results = [r('crit', 'critical', 'fail'), ...Array.from({ length: 40 }, (_, i) => r(`ok${i}`, 'high', 'pass'))];
    const s = scoreResults(results, POLICY);
    expect(s.uncappedScore).toBe(95);
    expect(s.score).toBe(79);
    expect(s.verdict).toBe('not_ready');
    expect(s.cappedBy).toEqual(['crit']);
  });

  it('a failing high or medium check blocks READY too (a known defect of that weight is never ready): capped one below the line', () => {
    const passing = Array.from({ length: 40 }, (_, i) => r(`ok${i}`, 'high', 'pass'));
    for (const severity of ['high', 'medium'] as const) {
      const s = scoreResults([r('x', severity, 'fail'), ...passing], POLICY);
      expect(s).toMatchObject({ score: 79, verdict: 'not_ready', cappedBy: ['x'] });
      expect(s.uncappedScore).toBeGreaterThanOrEqual(80);
    }
    // The team's own hand score: 85/100 with two high issues left is not ready.
    const team = [r('h1', 'high', 'fail'), r('h2', 'high', 'fail'), ...Array.from({ length: 11 }, (_, i) => r(`c${i}`, 'critical', 'pass'))];
    expect(scoreResults(team, POLICY)).toMatchObject({ uncappedScore: 92, score: 79, verdict: 'not_ready', cappedBy: ['h1', 'h2'] });
  });

  it('a failing low check and any warn only cost points; the verdict follows the line', () => {
    const passing = Array.from({ length: 40 }, (_, i) => r(`ok${i}`, 'high', 'pass'));
    expect(scoreResults([r('l', 'low', 'fail'), r('w', 'critical', 'warn'), ...passing], POLICY)).toMatchObject({ score: 97, verdict: 'ready', cappedBy: [] });
  });

  it('the profile chooses the blocking severity: critical only, or any failing check', () => {
    const results = [r('h', 'high', 'fail'), r('l', 'low', 'fail'), ...Array.from({ length: 40 }, (_, i) => r(`ok${i}`, 'high', 'pass'))];
    expect(scoreResults(results, { readyAt: 80, blockingSeverity: 'critical' })).toMatchObject({ verdict: 'ready', cappedBy: [] });
    expect(scoreResults(results, { readyAt: 80, blockingSeverity: 'high' })).toMatchObject({ verdict: 'not_ready', cappedBy: ['h'] });
    expect(scoreResults(results, { readyAt: 80, blockingSeverity: 'low' })).toMatchObject({ verdict: 'not_ready', cappedBy: ['h', 'l'] });
  });

  it('skipped and error count as unknown: they earn nothing and are never a pass', () => {
    const s = scoreResults([r('a', 'critical', 'pass'), r('b', 'critical', 'skipped'), r('c', 'critical', 'error')], POLICY);
    expect(s.score).toBe(33);
    expect(s.verdict).toBe('not_ready');
    expect(s.pointsLost.map((p) => [p.id, p.reason])).toEqual([
      ['b', 'unknown'],
      ['c', 'unknown'],
    ]);
    expect(s.categories).toEqual([{ category: 'security', score: 33, pass: 1, warn: 0, fail: 0, unknown: 2 }]);
  });

  it('a critical check left unknown keeps the verdict not_ready even above the line, and says which', () => {
    const passing = Array.from({ length: 40 }, (_, i) => r(`ok${i}`, 'high', 'pass'));
    for (const status of ['skipped', 'error'] as const) {
      const s = scoreResults([r('crit', 'critical', status), ...passing], POLICY);
      expect(s.score).toBe(95);
      expect(s.cappedBy).toEqual([]);
      expect(s.unverified).toEqual(['crit']);
      expect(s.verdict).toBe('not_ready');
    }
    // A high check left unknown costs points but does not block the verdict.
    expect(scoreResults([r('crit', 'critical', 'pass'), r('h', 'high', 'skipped'), ...passing], POLICY)).toMatchObject({ verdict: 'ready', unverified: [] });
  });

  it('no results is not ready', () => {
    expect(scoreResults([], POLICY)).toMatchObject({ score: 0, verdict: 'not_ready' });
  });

  it('scores each category on its own', () => {
    const s = scoreResults([r('a', 'high', 'pass', 'security'), r('b', 'high', 'fail', 'performance')], POLICY);
    expect(s.categories.map((c) => [c.category, c.score])).toEqual([
      ['security', 100],
      ['performance', 0],
    ]);
  });
});
