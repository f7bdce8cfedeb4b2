/** The watches running in this process, for `/metrics` (prometheus.ts) whichever face started them. */
import type { WatchView } from './prometheus';

const live = new Set<() => WatchView>();

export function registerLiveWatch(view: () => WatchView): () => void {
  live.add(view);
  return () => live.delete(view);
}

export function liveWatchViews(): WatchView[] {
  return [...live].map((v) => v());
}
