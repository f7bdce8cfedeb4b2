/**
 * bench/redaction: how fast untrusted text is masked and scanned, on adversarial inputs (long
 * runs of letters, `a`, `:`, `@`, quotes, `%`, nested schemes, `at ` and `password=` — the
 * shapes that made the old regexes quadratic: a 64 KB body took 23 s), beside plain
 * `String.prototype.replace` of a fixed string over the same text, at 64 KB and 1 MB in the
 * same run. Linear work shows as a 1 MB / 64 KB time ratio near 16 (the size ratio); the old
 * regexes were ~256 (quadratic). Figures are printed, never asserted.
 */
import { findLeaks } from '../electron/core/checks/http-leaks';
import { maskBody } from '../electron/core/probes/http/mask';
import { maskSecretsInText, maskUrl, scrubMessage } from '../electron/core/util/redact';
import { normalizeSql } from '../electron/core/util/sql-normalize';
import { machineLoad } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SMALL = 64 * 1024;
const LARGE = 1024 * 1024;

const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const INPUTS: [string, string][] = [
  ['letters+digits', 'abcdefghij0123456789'],
  ['a', 'a'],
  [':', ':'],
  ['@', '@'],
  ["quotes '\"", `'"`],
  ['%', '%'],
  ['a://', 'a://'],
  ['at ', 'at '],
  ['password=', 'password='],
  ['password:token ', 'password:token '],
  ['?a=', '?a='],
  ["SQL 'x', $$", "SELECT 'a''b', $$x$$, 1.5e3 -- c\n"],
];

const MASKERS: [string, (text: string) => unknown][] = [
  ['scrubMessage', scrubMessage],
  ['maskSecretsInText', maskSecretsInText],
  ['maskBody', maskBody],
  ['findLeaks', findLeaks],
  ['normalizeSql', normalizeSql],
];

/**
 * Median CPU time (user + system) of RUNS calls, in milliseconds, one warm-up call first. CPU
 * time rather than wall time: the build machines are shared, and a busy neighbour inflates
 * wall time without telling anything about this code.
 */
function time(fn: () => unknown): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.cpuUsage();
    fn();
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const mbPerSec = (bytes: number, ms: number) => bytes / (1024 * 1024) / (ms / 1000);
const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 1) => v.toFixed(digits).padStart(9);

console.log(`bench/redaction — median CPU time of ${RUNS} runs; ${machineLoad()}`);
console.log(`${pad('input', 16)}${pad('function', 19)}${'64KB ms'.padStart(9)}${'MB/s'.padStart(9)}${'1MB ms'.padStart(9)}${'MB/s'.padStart(9)}${'1MB/64KB'.padStart(9)}${'vs replace'.padStart(11)}`);
for (const [name, unit] of INPUTS) {
  const small = fill(unit, SMALL);
  const large = fill(unit, LARGE);
  // The baseline: one fixed-string replace over the same text (a linear pass the engine does natively).
  const baseSmall = time(() => small.replace('zzz-not-there', 'x'));
  const baseLarge = time(() => large.replace('zzz-not-there', 'x'));
  console.log(`${pad(name, 16)}${pad('String.replace', 19)}${num(baseSmall, 3)}${num(mbPerSec(SMALL, baseSmall), 0)}${num(baseLarge, 3)}${num(mbPerSec(LARGE, baseLarge), 0)}${num(baseLarge / baseSmall)}${'1.0'.padStart(11)}`);
  for (const [fn, mask] of MASKERS) {
    const s = time(() => mask(small));
    const l = time(() => mask(large));
    console.log(`${pad('', 16)}${pad(fn, 19)}${num(s, 3)}${num(mbPerSec(SMALL, s), 0)}${num(l, 3)}${num(mbPerSec(LARGE, l), 0)}${num(l / s)}${num(l / baseLarge, 0).padStart(11)}`);
  }
}

// The URL the red-team pass fed `preflight http`: 100 KB, refused after 46 s before.
const longUrl = `https://user:pw@api.example/${'a'.repeat(100_000)}?token=${'%'.repeat(1000)}`;
console.log(`\n100 KB URL: maskUrl ${time(() => maskUrl(longUrl)).toFixed(3)} ms, scrubMessage ${time(() => scrubMessage(longUrl)).toFixed(3)} ms`);
