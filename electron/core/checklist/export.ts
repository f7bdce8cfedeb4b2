/**
 * The change-management record: the walkthrough as Markdown and as one self-contained HTML
 * file (inline CSS, no scripts, no external resources) — every step, its evidence, who signed
 * what and when, the journal's integrity and the latest score.
 */
import { FIX_LABEL } from '../../../shared/readiness-text';
import type { CheckResult } from '../../../shared/schemas/check';
import type { StepView, WalkthroughView } from '../../../shared/schemas/checklist';

const STATE_LABEL: Record<StepView['state'], string> = { done: 'done', pending: 'pending', failing: 'FAILING', not_started: 'phase not started' };

function stepEvidence(step: StepView): string[] {
  const lines = step.checks.map((c) => `check ${c.id}: ${c.status ?? 'no run since the phase started'}${c.summary ? ` — ${c.summary}` : ''}${c.runId ? ` (run ${c.runId}, ${c.at})` : ''}`);
  if (step.signOff) lines.push(`signed off by ${step.signOff.name} at ${step.signOff.at}${step.signOff.note ? ` — “${step.signOff.note}”` : ''} (journal #${step.signOff.seq}, ${step.signOff.hash.slice(0, 12)})${step.signOff.intact ? '' : ' — this row FAILS the hash check: it was changed after signing'}`);
  else if (step.kind !== 'automated') lines.push('not signed off');
  return lines;
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function walkthroughMarkdown(view: WalkthroughView, results: CheckResult[] = []): string {
  const out: string[] = [];
  out.push(`# Launch checklist: ${view.profile} / ${view.environment}`, '');
  out.push(`- Walkthrough: ${view.walkthroughId}`, `- Started: ${view.startedAt} by ${view.startedBy}`, `- Progress: ${view.done} of ${view.total} steps done`);
  out.push(view.latestRun ? `- Readiness: ${view.latestRun.score}/100, ${view.latestRun.verdict} (run ${view.latestRun.runId}, ${view.latestRun.at})` : '- Readiness: no complete check run since the walkthrough started');
  if (view.latestPartialRun) out.push(`- Newer partial run ${view.latestPartialRun.runId} (${view.latestPartialRun.checks} chosen checks, ${view.latestPartialRun.at}): ${view.latestPartialRun.score}/100 over those checks only — partial, not a readiness verdict`);
  out.push(view.integrity.ok ? `- Sign-off journal: intact (${view.integrity.rows} rows, hash chain verified)` : `- Sign-off journal: **TAMPERED** — ${view.integrity.broken.map((b) => `row ${b.seq}: ${b.reason}`).join('; ')}`, '');
  for (const phase of view.phases) {
    out.push(`## ${phase.title}`, '', phase.startedAt ? `Started ${phase.startedAt}.` : 'Not started.', '');
    for (const step of phase.steps) {
      out.push(`- [${step.state === 'done' ? 'x' : ' '}] **${step.title}** (${step.id}; ${step.kind}; ${STATE_LABEL[step.state]})${step.source ? ` — ${step.source}` : ''}`);
      if (step.detail) out.push(`  ${step.detail}`);
      for (const e of stepEvidence(step)) out.push(`  - ${e}`);
    }
    out.push('');
  }
  if (results.length) {
    out.push('## Check results of the latest run', '', '| id | severity | status | summary |', '|---|---|---|---|');
    for (const r of results) out.push(`| ${r.id} | ${r.severity} | ${r.status} | ${mdEscape(r.summary)} |`);
    out.push('');
  }
  out.push('## Sign-off journal', '', '| # | kind | phase | step | who | at (UTC) | note | hash |', '|---|---|---|---|---|---|---|---|');
  for (const j of view.journal) out.push(`| ${j.seq} | ${j.kind} | ${j.phaseId ?? ''} | ${j.stepId ?? ''} | ${mdEscape(j.name)} | ${j.at} | ${mdEscape(j.note ?? '')} | ${j.hash.slice(0, 16)} |`);
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CSS = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1f24;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.state-done{color:#116329}.state-failing{color:#b3261e;font-weight:600}.state-pending,.state-not_started{color:#7a5b00}
.tampered{background:#fde7e9;border:1px solid #b3261e;padding:.5rem}.intact{background:#e6f4ea;padding:.5rem}
code{font-size:12px}pre{font-size:11px;white-space:pre-wrap;word-break:break-word;background:#f4f6f8;padding:.4rem}`;

export function walkthroughHtml(view: WalkthroughView, results: CheckResult[] = []): string {
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8" />', `<title>${esc(`Launch checklist: ${view.profile} / ${view.environment}`)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>Launch checklist: ${esc(view.profile)} / ${esc(view.environment)}</h1>`);
  h.push('<ul>', `<li>Walkthrough <code>${esc(view.walkthroughId)}</code>, started ${esc(view.startedAt)} by ${esc(view.startedBy)}</li>`, `<li>Progress: ${view.done} of ${view.total} steps done</li>`);
  h.push(view.latestRun ? `<li>Readiness: <strong>${view.latestRun.score}/100, ${esc(view.latestRun.verdict)}</strong> (run ${view.latestRun.runId}, ${esc(view.latestRun.at)})</li>` : '<li>Readiness: no complete check run since the walkthrough started</li>');
  if (view.latestPartialRun) h.push(`<li>Newer partial run ${view.latestPartialRun.runId} (${view.latestPartialRun.checks} chosen checks, ${esc(view.latestPartialRun.at)}): ${view.latestPartialRun.score}/100 over those checks only — <strong>partial</strong>, not a readiness verdict</li>`);
  h.push('</ul>');
  h.push(
    view.integrity.ok
      ? `<p class="intact">Sign-off journal intact: ${view.integrity.rows} rows, hash chain verified.</p>`
      : `<p class="tampered">Sign-off journal TAMPERED: ${view.integrity.broken.map((b) => `row ${b.seq}: ${esc(b.reason)}`).join('; ')}</p>`,
  );
  for (const phase of view.phases) {
    h.push(`<h2>${esc(phase.title)}</h2>`, `<p>${phase.startedAt ? `Started ${esc(phase.startedAt)}.` : 'Not started.'}</p>`);
    h.push('<table>', '<thead><tr><th>Step</th><th>Kind</th><th>State</th><th>Evidence and sign-off</th></tr></thead>', '<tbody>');
    for (const step of phase.steps) {
      const evidence = stepEvidence(step).map((e) => `<li>${esc(e)}</li>`).join('');
      h.push(`<tr data-step="${esc(step.id)}"><td><strong>${esc(step.title)}</strong><br /><code>${esc(step.id)}</code>${step.source ? ` — ${esc(step.source)}` : ''}${step.detail ? `<br />${esc(step.detail)}` : ''}</td><td>${step.kind}</td><td class="state-${step.state}">${STATE_LABEL[step.state]}</td><td><ul>${evidence}</ul></td></tr>`);
    }
    h.push('</tbody>', '</table>');
  }
  if (results.length) {
    h.push('<h2>Check results of the latest run</h2>', '<table>', `<thead><tr><th>Check</th><th>Severity</th><th>Status</th><th>Summary and evidence</th><th>${FIX_LABEL}</th></tr></thead>`, '<tbody>');
    for (const r of results) h.push(`<tr><td><code>${esc(r.id)}</code></td><td>${r.severity}</td><td class="state-${r.status === 'pass' ? 'done' : r.status === 'fail' ? 'failing' : 'pending'}">${r.status}</td><td>${esc(r.summary)}<details><summary>evidence</summary><pre>${esc(JSON.stringify(r.evidence, null, 2))}</pre></details></td><td>${esc(r.fix ?? '')}</td></tr>`);
    h.push('</tbody>', '</table>');
  }
  h.push('<h2>Sign-off journal</h2>', '<table>', '<thead><tr><th>#</th><th>Kind</th><th>Phase</th><th>Step</th><th>Who</th><th>At (UTC)</th><th>Note</th><th>Hash</th></tr></thead>', '<tbody>');
  for (const j of view.journal) h.push(`<tr><td>${j.seq}</td><td>${esc(j.kind)}</td><td>${esc(j.phaseId ?? '')}</td><td>${esc(j.stepId ?? '')}</td><td>${esc(j.name)}</td><td>${esc(j.at)}</td><td>${esc(j.note ?? '')}</td><td><code>${j.hash.slice(0, 16)}</code></td></tr>`);
  h.push('</tbody>', '</table>', '</body>', '</html>');
  return `${h.join('\n')}\n`;
}
