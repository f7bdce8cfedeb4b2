import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActiveRunRequest, ActiveRunState } from '../../../../shared/contracts/active';
import type { ActivePlan, Consent } from '../../../../shared/schemas/active';
import { client } from '../../api/client';

/** Plan → consent → run → progress events → result, with cancel. One run at a time per page. */
export function useActiveRun(kind: 'ratelimit' | 'sse') {
  const [pending, setPending] = useState<{ request: ActiveRunRequest; plan: ActivePlan } | null>(null);
  const [run, setRun] = useState<ActiveRunState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A short run can finish before active.start answers: keep finished states so that answer never hides the result.
  const finishedRuns = useRef(new Map<string, ActiveRunState>());

  useEffect(() => {
    // Show the latest run of this kind after a reload.
    void client.call('active.runs', {}).then((runs) => setRun((r) => r ?? runs.find((x) => x.kind === kind) ?? null)).catch(() => undefined);
    const offProgress = client.on('active.progress', (p) =>
      setRun((r) => (r && r.runId === p.runId ? { ...r, progress: p, samples: p.sample ? [...r.samples, p.sample] : r.samples } : r)),
    );
    const offFinished = client.on('active.finished', (state) => {
      finishedRuns.current.set(state.runId, state);
      setRun((r) => (r && r.runId === state.runId ? state : r));
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [kind]);

  const plan = useCallback(async (request: ActiveRunRequest) => {
    setError(null);
    try {
      setPending({ request, plan: await client.call('active.plan', request) });
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  const confirm = useCallback(
    async (consent: Consent) => {
      if (!pending) return;
      setPending(null);
      try {
        const started = await client.call('active.start', { request: pending.request, consent });
        setRun(finishedRuns.current.get(started.runId) ?? started);
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [pending],
  );

  const cancel = useCallback(async () => {
    if (run?.status === 'running') await client.call('active.cancel', { runId: run.runId });
  }, [run]);

  return { pending, run, error, plan, confirm, dismiss: () => setPending(null), cancel };
}
