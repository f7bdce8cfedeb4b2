/**
 * Text formats every face shares (the renderer, the CLI, check summaries), so an age or a cut
 * summary reads the same everywhere.
 */

/**
 * A duration or an age in seconds. Never negative: clocks a few milliseconds apart (server
 * `now()` vs the client) made ages like "-0.0 s"; anything below zero is shown as 0.
 */
export function formatSeconds(value: number | null | undefined, empty = '—'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return empty;
  const v = Math.max(0, value);
  if (v < 60) return `${(Math.round(v * 10) / 10).toFixed(1)} s`;
  if (v < 3600) return `${Math.floor(v / 60)} min ${Math.floor(v % 60)} s`;
  return `${Math.floor(v / 3600)} h ${Math.floor((v % 3600) / 60)} min`;
}

/** How long ago `iso` was, relative to `nowIso` (default: now), as formatSeconds says it. */
export function formatAge(iso: string, nowIso?: string): string {
  const now = nowIso ? Date.parse(nowIso) : Date.now();
  return formatSeconds((now - Date.parse(iso)) / 1000);
}

/**
 * Shortens text to at most `max` characters at a word boundary, with an ellipsis, so a summary
 * never ends mid-word. A single word longer than `max` is cut with the ellipsis.
 */
export function truncateAtWord(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(' ');
  const cut = lastSpace >= max / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.–-]+$/, '')}…`;
}
