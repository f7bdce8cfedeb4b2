/** A definition's verdict as a full check result: the definition's id, title, category, severity and fix. */
import type { CheckResult } from '../../../shared/schemas/check';
import type { CheckDefinition, Verdict } from './define';

export function resultOf(def: Pick<CheckDefinition, 'id' | 'title' | 'category' | 'severity' | 'fix'>, verdict: Verdict, durationMs = 0): CheckResult {
  return { id: def.id, title: def.title, category: def.category, severity: def.severity, fix: def.fix, ...verdict, durationMs };
}
