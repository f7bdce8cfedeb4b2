/**
 * Where the launch watch meets the checklist: starting the deploy phase writes a deploy marker
 * into the watch store (drawn on every chart, compared before/after in the report), and a
 * first-24h step that names alerts in `watch:` ticks only from a completed watch, started after
 * the phase did, in which none of those conditions held at any moment (watch-summary.ts).
 */
import { existsSync } from 'node:fs';
import type { Profile } from '../profile/schema';
import { summarizeWatch } from '../report/watch-summary';
import { defaultWatchStorePath } from '../store/watch-schema';
import { WatchStore } from '../store/watch-store';

export interface WatchStepEvidence {
  held: boolean;
  line: string;
  sessionId: string;
}

export function recordDeployMarker(profile: string, environment: string, at: string, label = 'deploy phase started', path = defaultWatchStorePath()): void {
  const store = new WatchStore(path);
  try {
    store.addMarker({ profile, environment, at: Date.parse(at), label, source: 'checklist' });
  } finally {
    store.close();
  }
}

/** The newest completed watch of this target started at or after `since`: its verdict per step. */
export function watchEvidence(profile: Profile, environment: string, since: string | null, path = defaultWatchStorePath()): Map<string, WatchStepEvidence> {
  const out = new Map<string, WatchStepEvidence>();
  if (!since || !existsSync(path)) return out;
  const store = new WatchStore(path);
  try {
    const session = store.sessions({ profile: profile.name, environment }).find((s) => s.status === 'completed' && s.startedAt >= Date.parse(since));
    if (!session) return out;
    for (const item of summarizeWatch(store, profile, session.id).items) if (item.rules.length) out.set(item.stepId, { held: item.held, line: item.line, sessionId: session.id });
    return out;
  } finally {
    store.close();
  }
}
