/** repo.no-alert: the profile's repo rule `no-alert` finds no match (comments aside). */
import { defineCheck, fail, pass, skipped } from '../define';

const RULE = 'no-alert';

export default defineCheck({
  id: 'repo.no-alert',
  title: 'No alert() left in the frontend',
  category: 'security',
  severity: 'medium',
  fix: 'alert() calls replaced by in-page messages with generic text',
  needs: ['repo'],
  expectations: {},
  evaluate({ repo: obs }) {
    const rule = obs.rules.find((r) => r.id === RULE);
    if (!rule) return skipped(`The profile has no repo rule "${RULE}" (expectations.repo.rules)`, { root: obs.root });
    const evidence = { root: obs.root, under: rule.under, filesScanned: rule.filesScanned, findings: rule.findings.slice(0, 50), findingCount: rule.findings.length };
    if (!rule.directoryFound) return fail(`${rule.under} does not exist in ${obs.root}: is the checkout path right?`, evidence);
    if (rule.findings.length) {
      const where = rule.findings.slice(0, 3).map((f) => `${f.file}:${f.line}`).join(', ');
      return fail(`${rule.findings.length} match(es) of "${rule.description}" in ${rule.filesScanned} files under ${rule.under}: ${where}${rule.findings.length > 3 ? ', …' : ''}`, evidence);
    }
    return pass(`No match of "${rule.description}" in ${rule.filesScanned} files under ${rule.under} (comments aside)`, evidence);
  },
});
