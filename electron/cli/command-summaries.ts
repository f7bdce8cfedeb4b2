/**
 * The top-level commands of `preflight`, in the order `--help` lists them: the one place their
 * one-line summaries live. Each command module takes its description from here, and the general
 * help lists these without loading any command module (electron/cli/main.ts). `term` is what
 * follows the name in that list (commander's own rendering of the loaded command: tests/cli/
 * registry.test.ts compares the two helps).
 */
export const COMMAND_SUMMARIES = [
  { name: 'check', term: '[options]', summary: 'run the readiness checks of a profile against one environment and compute the score' },
  { name: 'checklist', term: '', summary: 'the launch checklist walkthrough: phases, self-ticking automated steps, signed manual steps' },
  { name: 'pg', term: '', summary: 'PostgreSQL probes (read-only, at most 2 connections per database, application_name=preflight)' },
  { name: 'migrate', term: '', summary: 'apply SQL migrations safely: advisory lock, lock timeouts with retries, CONCURRENTLY index builds, checksums, lint' },
  { name: 'redis', term: '[options]', summary: 'two INFO samples a window apart: windowed cache hit rate, ops/sec, memory, evictions, clients (sends only INFO <section> and PING)' },
  { name: 'http', term: '[options]', summary: 'passive HTTP probes of an API: health, readiness (cross-checked), request ids, CORS, webhook signing, error hygiene, security headers, TLS' },
  { name: 'ratelimit', term: '[options]', summary: 'send N+1 requests in one burst and check the first 429 arrives at N+1 with Retry-After (active: needs --confirm)' },
  { name: 'sse', term: '[options]', summary: 'open K SSE streams for T seconds and check the app does not hold a database session per stream (active: needs --confirm)' },
  { name: 'serve', term: '[options]', summary: 'serve the Preflight UI and its API to a browser on 127.0.0.1 (token-protected)' },
  { name: 'demo', term: '[options]', summary: 'start a throw-away demo stack (PostgreSQL + Redis + a StartInsight-like API + simulated app traffic) and serve the UI pointed at it' },
  { name: 'watch', term: '[options]', summary: 'watch an environment after a launch: sample it for hours, evaluate the profile’s alerts, store everything, end with a verdict' },
  { name: 'mark', term: '[options] <label>', summary: 'record a marker (e.g. a deploy) that launch-watch charts and reports draw and compare around' },
  { name: 'report', term: '[options]', summary: 'the report of a launch watch: verdict per first-24h item, alerts, gaps, peaks and p95, before/after the deploy marker' },
  { name: 'doctor', term: '[options]', summary: "Report what the profile's Postgres and Redis users can do, and how to create least-privilege monitoring users" },
] as const satisfies readonly { name: string; term: string; summary: string }[];

export type CommandName = (typeof COMMAND_SUMMARIES)[number]['name'];

/** The one-line summary of a top-level command. */
export function commandSummary(name: CommandName): string {
  return COMMAND_SUMMARIES.find((c) => c.name === name)!.summary;
}
