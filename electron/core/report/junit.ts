/** A readiness run as JUnit XML: each check is a test case, so CI shows it like a test. */
import { XMLBuilder } from 'fast-xml-parser';
import { FIX_LABEL } from '../../../shared/readiness-text';
import type { ReadinessReport } from '../../../shared/schemas/readiness';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function readinessJunit(report: ReadinessReport): string {
  const count = (s: string) => report.results.filter((r) => r.status === s).length;
  const testcases = report.results.map((r) => {
    const tc: Record<string, unknown> = { '@_classname': `preflight.${r.category}`, '@_name': `${r.id}: ${r.title}`, '@_time': seconds(r.durationMs) };
    const body = `${r.summary}\nseverity: ${r.severity}\n${FIX_LABEL}: ${r.fix ?? '-'}\nevidence: ${JSON.stringify(r.evidence, null, 2)}`;
    if (r.status === 'fail') tc.failure = { '@_message': r.summary, '@_type': r.severity, '#text': body };
    else if (r.status === 'error') tc.error = { '@_message': r.summary, '@_type': 'probe_error', '#text': body };
    else if (r.status === 'skipped') tc.skipped = { '@_message': `unknown: ${r.summary}` };
    tc['system-out'] = `${r.status.toUpperCase()}: ${body}`;
    return tc;
  });
  const suite = {
    '@_name': `preflight ${report.profile}/${report.environment}`,
    '@_tests': report.results.length,
    '@_failures': count('fail'),
    '@_errors': count('error'),
    '@_skipped': count('skipped'),
    '@_time': seconds(report.durationMs),
    '@_timestamp': report.startedAt,
    properties: {
      property: [
        { '@_name': 'score', '@_value': String(report.score) },
        { '@_name': 'verdict', '@_value': report.verdict },
        { '@_name': 'readyAt', '@_value': String(report.readyAt) },
        ...(report.previous ? [{ '@_name': 'change', '@_value': report.previous.change }] : []),
      ],
    },
    testcase: testcases,
  };
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'preflight', '@_tests': report.results.length, '@_failures': count('fail'), '@_errors': count('error'), '@_skipped': count('skipped'), '@_time': seconds(report.durationMs), testsuite: suite },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true });
  return builder.build(doc) as string;
}
