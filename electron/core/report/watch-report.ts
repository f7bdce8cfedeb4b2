/** The launch-watch report as Markdown or self-contained HTML (inline SVG charts, no external assets). */
import type { Profile } from '../profile/schema';
import type { WatchStore } from '../store/watch-store';
import { resolveAlertRules } from '../watch/alert-rules';
import { decimateMinMax } from '../watch/decimate';
import { svgChart } from './svg-chart';
import { formatDuration, hhmmss, type WatchSummary } from './watch-summary';

const n = (v: number | null, unit = '') => (v === null ? '–' : `${Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '')}${unit ? ` ${unit}` : ''}`);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

export function watchMarkdown(s: WatchSummary): string {
  const out: string[] = [];
  const end = s.session.endedAt ?? s.session.lastTickAt ?? s.session.startedAt;
  out.push(`# Launch watch: ${s.session.profile} / ${s.session.environment}`);
  out.push('');
  out.push(`Session \`${s.session.id}\` — ${iso(s.session.startedAt)} to ${iso(end)} (planned end ${iso(s.session.plannedEnd)}; status ${s.session.status}).`);
  out.push(`Observed ${formatDuration(s.observedMs)} of ${formatDuration(s.plannedMs)} planned. **Verdict: ${s.verdict === 'healthy' ? 'healthy — no alert fired' : `${s.alerts.length} alert(s) fired`}.**`);
  out.push('');
  out.push('## First 24 hours');
  out.push('');
  for (const i of s.items) out.push(`- ${i.held ? '[x]' : i.rules.length ? '[ ]' : '[-]'} ${i.line}`);
  if (!s.items.length) out.push('- The profile has no first-24h checklist phase.');
  out.push('');
  out.push('## Alerts');
  out.push('');
  if (!s.alerts.length) out.push('No alert fired.');
  else {
    out.push('| alert | severity | fired (UTC) | resolved (UTC) | duration |');
    out.push('|---|---|---|---|---|');
    for (const a of s.alerts) out.push(`| ${a.title} (\`${a.rule}\`) | ${a.severity} | ${iso(a.firedAt)} | ${a.resolvedAt ? iso(a.resolvedAt) : 'still firing at the end'} | ${formatDuration(a.durationMs)} |`);
  }
  out.push('');
  out.push('## Gaps');
  out.push('');
  if (!s.gaps.length) out.push('No gap.');
  else {
    out.push('| from (UTC) | to (UTC) | duration | cause | target | detail |');
    out.push('|---|---|---|---|---|---|');
    for (const g of s.gaps) out.push(`| ${iso(g.from)} | ${g.to ? iso(g.to) : 'open'} | ${formatDuration(g.durationMs)} | ${g.cause} | ${g.target ?? 'all'} | ${g.detail.replace(/\|/g, '/')} |`);
  }
  out.push('');
  out.push('## Metrics (whole watch)');
  out.push('');
  out.push('| metric | samples | peak | peak at (UTC) | p95 | average |');
  out.push('|---|---|---|---|---|---|');
  for (const m of s.metrics) out.push(`| ${m.name} | ${m.samples} | ${n(m.peak, m.unit)} | ${m.peakAt ? hhmmss(m.peakAt) : '–'} | ${n(m.p95, m.unit)} | ${n(m.avg, m.unit)} |`);
  out.push('');
  out.push('## Deploy: hour after against hour before');
  out.push('');
  if (!s.deploy) out.push('No deploy marker in this watch (`preflight mark "deployed v1.4"` or `checklist phase --phase deploy`).');
  else {
    out.push(`Marker "${s.deploy.marker.label}" at ${iso(s.deploy.marker.at)} (${s.deploy.marker.source}).`);
    out.push('');
    out.push('| metric | before: average / p95 | after: average / p95 | |');
    out.push('|---|---|---|---|');
    for (const r of s.deploy.rows) out.push(`| ${r.metric} | ${n(r.before.avg, r.unit)} / ${n(r.before.p95, r.unit)} (${r.before.samples}) | ${n(r.after.avg, r.unit)} / ${n(r.after.p95, r.unit)} (${r.after.samples}) | ${r.regression ? '**regression**' : ''} |`);
  }
  if (s.checkRuns.length) {
    out.push('');
    out.push('## Passive check runs');
    out.push('');
    for (const r of s.checkRuns) out.push(`- ${iso(r.at)}: ${r.score}/100${r.failing.length ? `, failing ${r.failing.join(', ')}` : ''}`);
  }
  out.push('');
  return out.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markdown-ish sections as HTML, plus one chart per metric. */
export function watchHtml(s: WatchSummary, store: WatchStore, profile: Profile): string {
  const end = s.session.endedAt ?? s.session.lastTickAt ?? s.session.startedAt;
  const { rules } = resolveAlertRules(profile);
  const charts = s.metrics.map((m) => {
    const rule = rules.find((r) => r.metric === m.name);
    const firing = s.alerts.filter((a) => rule && a.rule === rule.id).map((a) => ({ from: a.firedAt, to: a.resolvedAt ?? end }));
    const points = decimateMinMax(store.points(s.session.id, m.name), s.session.startedAt, end, 360, gapThreshold(s));
    return svgChart({ title: m.name, unit: m.unit, from: s.session.startedAt, to: end, points, threshold: rule?.value ?? null, spans: firing, markers: s.markers.map((k) => ({ at: k.at, label: k.label })) });
  });
  const md = watchMarkdown(s);
  const html: string[] = [];
  let inTable = false;
  for (const line of md.split('\n')) {
    const row = line.startsWith('|');
    if (inTable && !row) html.push('</table>');
    if (!inTable && row) html.push('<table>');
    inTable = row;
    if (line.startsWith('|---')) continue;
    if (row) html.push(`<tr>${line.slice(1, -1).split(' | ').map((c) => `<td>${inline(c.trim())}</td>`).join('')}</tr>`);
    else if (line.startsWith('# ')) html.push(`<h1>${esc(line.slice(2))}</h1>`);
    else if (line.startsWith('## ')) html.push(`<h2>${esc(line.slice(3))}</h2>`);
    else if (line.startsWith('- ')) html.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line) html.push(`<p>${inline(line)}</p>`);
  }
  if (inTable) html.push('</table>');
  const body = html.join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Launch watch ${esc(s.session.profile)}/${esc(s.session.environment)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0}td{border:1px solid #ccc;padding:3px 6px}li{list-style:none}code{background:#f3f3f3}</style></head><body>
${body}
<h2>Charts</h2>
<p>Whole watch, min/max per bucket (a single-sample spike is kept); gaps break the line; dashed red: alert threshold; red band: alert firing; blue: markers.</p>
${charts.join('\n')}
</body></html>
`;
}

function inline(text: string): string {
  return esc(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`(.+?)`/g, '<code>$1</code>');
}

function gapThreshold(s: WatchSummary): number {
  const intervals = (s.session.options.intervals ?? {}) as Record<string, number>;
  return Math.max(...Object.values(intervals).filter((v) => typeof v === 'number' && v < 600_000), 5000) * 3;
}
