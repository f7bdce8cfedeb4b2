/** Checks over the repository pattern scan. `repo.no-alert` reads the rule with id `no-alert`. */
import type { RepoObservation } from '../probes/static/repo-scan';
import { fail, pass, skipped, type Verdict } from './types';

export function evaluateRepoRule(obs: RepoObservation, ruleId: string): Verdict {
  const rule = obs.rules.find((r) => r.id === ruleId);
  if (!rule) return skipped(`The profile has no repo rule "${ruleId}" (expectations.repo.rules)`, { root: obs.root });
  const evidence = { root: obs.root, under: rule.under, filesScanned: rule.filesScanned, findings: rule.findings.slice(0, 50), findingCount: rule.findings.length };
  if (!rule.directoryFound) return fail(`${rule.under} does not exist in ${obs.root}: is the checkout path right?`, evidence);
  if (rule.findings.length) {
    const where = rule.findings.slice(0, 3).map((f) => `${f.file}:${f.line}`).join(', ');
    return fail(`${rule.findings.length} match(es) of "${rule.description}" in ${rule.filesScanned} files under ${rule.under}: ${where}${rule.findings.length > 3 ? ', …' : ''}`, evidence);
  }
  return pass(`No match of "${rule.description}" in ${rule.filesScanned} files under ${rule.under} (comments aside)`, evidence);
}
