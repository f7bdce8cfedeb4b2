/**
 * The SVG path of one watch chart line (the Launch page's charts and the report's SVG). A null value breaks the line (a gap is drawn as a gap).
 * Points strictly inside a horizontal run, and repeats of the same pixel, are left out: time only
 * moves right, so the line passes through them anyway — the drawing is identical, the path (what
 * the browser parses, lays out and strokes) is shorter. A flat day (0 evictions, ready = 1) is two
 * points instead of ~1,600.
 */
export function linePath(points: readonly (readonly [number, number | null])[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  let lastX = '';
  let lastY = '';
  // The newest point of a horizontal run, held until the run ends.
  let held: string | null = null;
  for (const [t, v] of points) {
    if (v === null) {
      if (held) d += `L${held}`;
      held = null;
      pen = false;
      continue;
    }
    const px = x(t).toFixed(1);
    const py = y(v).toFixed(1);
    if (!pen) {
      d += `M${px},${py}`;
      pen = true;
    } else if (px === lastX && py === lastY) {
      continue;
    } else if (py === lastY) {
      held = `${px},${py}`;
    } else {
      if (held) d += `L${held}`;
      held = null;
      d += `L${px},${py}`;
    }
    lastX = px;
    lastY = py;
  }
  if (held) d += `L${held}`;
  return d;
}
