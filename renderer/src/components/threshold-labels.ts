/**
 * Threshold labels that would print over each other (two lines at the same or nearly the same
 * height, as plan limit 60 and max_connections 60) share one label row instead.
 */
export interface LabelledLine {
  y: number;
  label: string;
  color: string;
}

export interface LabelRow<T extends LabelledLine> {
  /** Pixel height of the row's highest line; the label sits just above it. */
  py: number;
  lines: T[];
}

/** Groups lines by pixel height: a line within `minGapPx` of a row's first line joins that row. */
export function thresholdLabelRows<T extends LabelledLine>(lines: readonly T[], toPx: (y: number) => number, minGapPx = 12): LabelRow<T>[] {
  const sorted = [...lines].map((line) => ({ line, py: toPx(line.y) })).sort((a, b) => a.py - b.py);
  const rows: LabelRow<T>[] = [];
  for (const { line, py } of sorted) {
    const row = rows[rows.length - 1];
    if (row && py - row.py < minGapPx) row.lines.push(line);
    else rows.push({ py, lines: [line] });
  }
  return rows;
}
