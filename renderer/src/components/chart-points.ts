/** The width of a chart's box in pixels, for the points-per-pixel cap (cap-points.ts). */
import { useCallback, useEffect, useRef, useState } from 'react';

export { capPoints, pointsFor } from './cap-points';

export function useChartWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [width, setWidth] = useState(1200);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!el || typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth((prev) => (Math.abs(prev - w) >= 8 ? w : prev));
    });
    observer.current.observe(el);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width];
}
