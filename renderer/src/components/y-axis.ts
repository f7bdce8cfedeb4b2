/**
 * A chart's y axis: about four gridlines at a round step (1, 2, 2.5 or 5 × 10^k), ending on a
 * labelled gridline at or above the largest value. A count (connections, clients) is labelled in
 * whole numbers, so its step is a whole number too: a step of 0.25 would print 0, 0, 1, 1, 1.
 */
export interface YAxis {
  step: number;
  top: number;
  ticks: number[];
}

export function yAxis(wanted: number, wholeNumbers = false): YAxis {
  const asked = wanted > 0 && Number.isFinite(wanted) ? wanted : 1;
  const raw = asked / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const multiples = wholeNumbers ? [1, 2, 5] : [1, 2, 2.5, 5];
  let step = (multiples.find((m) => m * mag >= raw) ?? 10) * mag;
  if (wholeNumbers) step = Math.max(1, Math.round(step));
  const top = Math.ceil(asked / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.floor(top / step + 1e-9) + 1 }, (_, i) => i * step);
  return { step, top, ticks };
}
