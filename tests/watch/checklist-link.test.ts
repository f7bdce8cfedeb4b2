/**
 * The checklist and the launch watch: `checklist phase deploy` writes a deploy marker; a
 * first-24h step naming alerts in `watch:` ticks only from a completed watch in which none of
 * its conditions held, and reads "failing" with the broken stretch when one did.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhase, startWalkthrough, walkthroughView } from '../../electron/core/checklist/walkthrough';
import { loadProfile, type LoadedProfile } from '../../electron/core/profile/load';
import { summarizeWatch } from '../../electron/core/report/watch-summary';
import { ChecksStore } from '../../electron/core/store/checks-store';
import { defaultWatchStorePath } from '../../electron/core/store/watch-schema';
import { WatchStore } from '../../electron/core/store/watch-store';

const dir = mkdtempSync(join(tmpdir(), 'pf-watch-checklist-'));
process.env.PREFLIGHT_DATA_DIR = dir;

const PROFILE = `version: 1
name: shop
environments:
  - { name: prod, kind: production }
checklist:
  phases:
    - id: deploy
      title: Deploy
      steps:
        - { id: deployed, title: Deployed, manual: true }
    - id: first-24h
      title: First 24 hours
      steps:
        - { id: sentry-low, title: Sentry under 5 errors/hour, manual: true, watch: [sentry-errors] }
        - { id: no-500s, title: No 500s, manual: true, watch: [http-5xx] }
alerts:
  - { id: sentry-errors, title: Sentry above 5 errors/hour, metric: sentry.errors_per_hour, op: '>', value: 5, severity: high }
  - { id: http-5xx, title: Any 5xx, metric: http.5xx_per_hour, op: '>', value: 0, severity: high }
`;

let loaded: LoadedProfile;
let checks: ChecksStore;
const step = (id: string) => walkthroughView(checks, loaded.profile, 'prod').phases.flatMap((p) => p.steps).find((s) => s.id === id)!;

beforeAll(async () => {
  writeFileSync(join(dir, 'p.yaml'), PROFILE);
  loaded = loadProfile(join(dir, 'p.yaml'));
  checks = new ChecksStore(join(dir, 'checks.sqlite'));
  await startWalkthrough(checks, loaded, 'prod', 'ana');
});
afterAll(() => checks.close());

/** A finished 24 h watch written tick by tick: Sentry at 1 error/hour except 8 minutes at 12/hour; no 5xx. */
function recordWatch(store: WatchStore, start: number, spike: boolean): string {
  const s = store.createSession({ profile: 'shop', environment: 'prod', profileFile: join(dir, 'p.yaml'), startedAt: start, plannedEnd: start + 86_400_000, options: {} });
  const spikeFrom = start + 14 * 3_600_000;
  for (let t = start; t <= start + 86_400_000; t += 60_000) {
    const sentry = spike && t >= spikeFrom && t < spikeFrom + 8 * 60_000 ? 12 : 1;
    store.writeTick(s.id, { at: t, samples: [{ series: 'sentry.errors_per_hour', unit: 'errors/h', t, v: sentry }, { series: 'http.5xx_per_hour', unit: 'responses/h', t, v: 0 }] });
  }
  store.setStatus(s.id, 'completed', start + 86_400_000);
  return s.id;
}

describe('launch watch ↔ checklist', () => {
  it('starting the deploy phase writes a deploy marker into the watch store', () => {
    startPhase(checks, loaded.profile, 'prod', 'deploy', 'ana');
    const store = new WatchStore(defaultWatchStorePath());
    const markers = store.markers('shop', 'prod', 0, Date.now() + 1000);
    store.close();
    expect(markers.map((m) => [m.source, m.label])).toEqual([['checklist', 'deploy phase started by ana']]);
  });

  it('watched steps stay pending until a completed watch; a broken condition fails its step with the stretch, a held one ticks', () => {
    startPhase(checks, loaded.profile, 'prod', 'first-24h', 'ana');
    expect(step('sentry-low')).toMatchObject({ state: 'pending', watch: null });
    const store = new WatchStore(defaultWatchStorePath());
    const id = recordWatch(store, Date.now() + 1000, true);
    const item = summarizeWatch(store, loaded.profile, id).items.find((i) => i.stepId === 'sentry-low')!;
    store.close();
    expect(item.line).toMatch(/^Sentry under 5 errors\/hour: held for 23 h 52 m, broken \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC$/);
    expect(step('sentry-low')).toMatchObject({ state: 'failing', watch: { held: false, sessionId: id } });
    expect(step('no-500s')).toMatchObject({ state: 'done', watch: { held: true } });
  });

  it('an unfinished watch never ticks a step', () => {
    const store = new WatchStore(defaultWatchStorePath());
    const s = store.createSession({ profile: 'shop', environment: 'prod', profileFile: join(dir, 'p.yaml'), startedAt: Date.now(), plannedEnd: Date.now() + 86_400_000, options: {} });
    store.writeTick(s.id, { at: Date.now(), samples: [{ series: 'http.5xx_per_hour', unit: 'responses/h', t: Date.now(), v: 0 }] });
    store.setStatus(s.id, 'stopped', Date.now());
    const summary = summarizeWatch(store, loaded.profile, s.id);
    store.close();
    expect(summary.items.find((i) => i.stepId === 'no-500s')!.held).toBe(false);
  });
});
