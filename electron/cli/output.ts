import { formatSeconds, truncateAtWord } from '../../shared/format';

/** Widest a table cell gets; longer text is cut at a word with an ellipsis. */
const CELL_MAX = 80;

/**
 * `--json` prints exactly one JSON document on stdout and nothing else there; everything a
 * person reads (progress, warnings) goes to stderr.
 */
export function printJson(value: unknown): void {
  jsonPrinted = true;
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

let jsonPrinted = false;

/** Whether this run already printed its one JSON document (then an error adds none). */
export function jsonDocumentPrinted(): boolean {
  return jsonPrinted;
}

/** A new CLI run (tests run several in one process). */
export function resetJsonDocument(): void {
  jsonPrinted = false;
}

export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  return truncateAtWord(String(value), CELL_MAX);
}

export function seconds(value: number | null): string {
  return formatSeconds(value, '-');
}

export function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)} %`;
}
