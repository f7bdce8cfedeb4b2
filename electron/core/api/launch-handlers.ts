/**
 * The Launch page: start, stop and resume a launch watch per profile and environment (the same
 * WatchSession the CLI runs), its status, alert timeline and store-backed, min/max-decimated
 * chart ranges, deploy markers and the report. Live alert transitions go out as `launch.alert`.
 */
import type { Handlers } from '../../../shared/contract';
import type { LaunchSeries, LaunchStatus } from '../../../shared/contracts/launch';
import { ContractError } from '../../../shared/dispatch';
import { ConfigError } from '../engine/run-checks';
import { loadProfile } from '../profile/load';
import { watchHtml, watchMarkdown } from '../report/watch-report';
import { summarizeWatch } from '../report/watch-summary';
import { WatchStore, type WatchSessionRow } from '../store/watch-store';
import { resolveAlertRules } from '../watch/alert-rules';
import { decimateMinMax } from '../watch/decimate';
import { registerLiveWatch } from '../watch/live-registry';
import { webhookNotifier } from '../watch/notify-webhook';
import { NothingReachableError, WatchSession } from '../watch/session';
import { profileByName } from './named-profile';
import type { EngineContext, FeatureHandlers } from './feature';

type LaunchCallName = 'launch.start' | 'launch.stop' | 'launch.status' | 'launch.series' | 'launch.mark' | 'launch.report';

const RANGE_MS = { '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000 } as const;
const iso = (t: number) => new Date(t).toISOString();

export function createLaunchHandlers(ctx: EngineContext): FeatureHandlers<LaunchCallName> {
  let store: WatchStore | null = null;
  const db = () => (store ??= new WatchStore());
  const live = new Map<string, { session: WatchSession; unregister: () => void; awake: number | null }>();
  const keepAwake = ctx.options.keepAwake;
  const release = (awake: number | null) => {
    if (awake !== null) keepAwake?.stop(awake);
  };
  const key = (p: string, e: string) => `${p}\u0000${e}`;

  const status = (row: WatchSessionRow): LaunchStatus => {
    const running = [...live.values()].find((l) => l.session.session?.id === row.id)?.session ?? null;
    const transitions = db().alerts(row.id);
    const alerts = running ? running.alerts : [];
    return {
      sessionId: row.id,
      profile: row.profile,
      environment: row.environment,
      status: row.status,
      live: running !== null,
      startedAt: iso(row.startedAt),
      plannedEnd: iso(row.plannedEnd),
      timeLeftMs: Math.max(0, row.plannedEnd - Date.now()),
      targets: running ? running.targetStates : db().targets(row.id),
      alertsFiring: alerts.filter((a) => a.state === 'firing').length,
      alertsFired: transitions.filter((t) => t.state === 'firing').length,
      alerts: alerts.map((a) => ({ rule: a.rule, title: a.title, severity: a.severity, state: a.state, since: a.since === null ? null : iso(a.since), value: a.value })),
      timeline: transitions.slice(-100).map((t) => ({ at: iso(t.at), rule: t.rule, state: t.state, value: t.value, message: t.message })),
      keepingAwake: [...live.values()].some((l) => l.session === running && l.awake !== null),
    };
  };
  const session = (id: string): WatchSessionRow => {
    const row = db().session(id);
    if (!row) throw new ContractError(`No launch watch "${id}".`, 'not_found');
    return row;
  };

  const handlers: Pick<Handlers, LaunchCallName> = {
    'launch.start': async ({ profile, environment, durationMs, resume, keepAwake: awakeAsked }) => {
      const k = key(profile, environment);
      if (live.has(k)) throw new ContractError(`A launch watch of ${profile}/${environment} is already running: stop it first.`, 'already_running');
      if (awakeAsked && !keepAwake) throw new ContractError('Keeping the machine awake needs the desktop app; start the watch without it here (or run it in the app).', 'bad_input');
      const loaded = profileByName(profile);
      const notify = await webhookNotifier(loaded, environment, (m) => ctx.events.emit('launch.alert', { sessionId: '', profile, environment, at: iso(Date.now()), rule: 'notify.webhook', state: 'firing', value: null, message: m })).catch((err: Error) => {
        throw new ContractError(err.message, 'config_error');
      });
      let watch: WatchSession | null = null;
      watch = new WatchSession({
        loaded,
        environment,
        store: db(),
        durationMs,
        resume,
        verdict: (s, id) => ({ verdict: summarizeWatch(s, loaded.profile, id).verdict }),
        onEvent: (e) => {
          const id = watch?.session?.id ?? '';
          if (e.type === 'alert') {
            ctx.events.emit('launch.alert', { sessionId: id, profile, environment, at: e.at, rule: e.rule, state: e.state, value: e.value, message: e.message });
            notify?.(e);
          } else if (e.type === 'sample') ctx.events.emit('launch.tick', { sessionId: id, at: e.at });
          else if (e.type === 'end') {
            const ended = live.get(k);
            ended?.unregister();
            release(ended?.awake ?? null);
            live.delete(k);
          }
        },
      });
      try {
        await watch.start();
      } catch (err) {
        if (err instanceof NothingReachableError || err instanceof ConfigError) throw new ContractError(err.message, err instanceof ConfigError ? 'config_error' : 'unreachable');
        throw err;
      }
      const w = watch;
      // Held from a started watch until its `end` (stopped, completed, or the engine closing).
      const awake = awakeAsked && keepAwake ? keepAwake.start() : null;
      live.set(k, { session: w, awake, unregister: registerLiveWatch(() => ({ profile, environment, latestValues: w.latestValues, alerts: w.alerts, targetStates: w.targetStates })) });
      return status(session(w.session.id));
    },
    'launch.stop': async ({ sessionId }) => {
      const entry = [...live.entries()].find(([, l]) => l.session.session?.id === sessionId);
      if (entry) await entry[1].session.stop('stopped');
      return status(session(sessionId));
    },
    'launch.status': async ({ profile, environment }) => {
      const row = db().sessions({ profile, environment })[0];
      return row ? status(row) : null;
    },
    'launch.series': async ({ sessionId, range, widthPx }): Promise<LaunchSeries> => {
      const row = session(sessionId);
      const to = Math.min(Date.now(), row.endedAt ?? Number.MAX_SAFE_INTEGER);
      const from = to - RANGE_MS[range];
      let rules: ReturnType<typeof resolveAlertRules>['rules'] = [];
      try {
        rules = resolveAlertRules(loadProfile(row.profileFile).profile).rules;
      } catch {
        // The profile moved or broke since: charts still draw, without threshold lines.
      }
      const intervals = Object.values((row.options.intervals ?? {}) as Record<string, number>).filter((v) => typeof v === 'number' && v < 600_000);
      const gapMs = Math.max(5000, ...intervals) * 3;
      const series = db().series(sessionId).map((s) => {
        let rawCount = 0;
        const counted = (function* (it: Iterable<{ t: number; v: number | null }>) {
          for (const p of it) {
            rawCount++;
            yield p;
          }
        })(db().points(sessionId, s.name, from, to));
        const points = decimateMinMax(counted, from, to, widthPx, gapMs).map((p) => [p.t, p.v] as [number, number | null]);
        return { name: s.name, unit: s.unit, threshold: rules.find((r) => r.metric === s.name)?.value ?? null, points, rawCount };
      });
      const transitions = db().alerts(sessionId);
      const alerts = transitions
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.state === 'firing')
        .map(({ t, i }) => ({ rule: t.rule, metric: rules.find((r) => r.id === t.rule)?.metric ?? null, from: t.at, to: transitions.slice(i + 1).find((x) => x.rule === t.rule && x.state === 'resolved')?.at ?? null }))
        .filter((a) => (a.to ?? to) >= from);
      const gaps = db().gaps(sessionId).filter((g) => (g.to ?? to) >= from).map((g) => ({ from: g.from, to: g.to, cause: g.cause, target: g.target }));
      const markers = db().markers(row.profile, row.environment, from, to).map((m) => ({ at: m.at, label: m.label }));
      return { from, to, series, alerts, gaps, markers };
    },
    'launch.mark': async ({ profile, environment, label }) => {
      const m = db().addMarker({ profile, environment, at: Date.now(), label, source: 'app' });
      return { at: iso(m.at), label: m.label };
    },
    'launch.report': async ({ sessionId, format }) => {
      const row = session(sessionId);
      const profile = loadProfile(row.profileFile).profile;
      const summary = summarizeWatch(db(), profile, sessionId);
      return { text: format === 'html' ? watchHtml(summary, db(), profile) : watchMarkdown(summary) };
    },
  };
  return {
    handlers,
    async close() {
      await Promise.all([...live.values()].map((l) => l.session.stop('stopped')));
      store?.close();
    },
  };
}
