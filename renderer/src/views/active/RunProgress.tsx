import type { ActiveRunState } from '../../../../shared/contracts/active';
import { StateMessage } from '../../components/StateMessage';

/** Progress of a running probe with its Cancel button; the failure sentence when it failed. */
export function RunProgress(props: { run: ActiveRunState | null; onCancel: () => void }) {
  const { run } = props;
  if (!run) return null;
  if (run.status === 'failed') return <StateMessage kind="error" title="The run did not complete">{run.error}</StateMessage>;
  if (run.status !== 'running') return null;
  const p = run.progress;
  const done = run.kind === 'sse' ? Math.min(1, (p?.elapsedMs ?? 0) / 1000 / Math.max(1, run.plan.durationSeconds ?? 1)) : (p?.sent ?? 0) / Math.max(1, run.plan.requestCount);
  return (
    <div className="run-progress" data-testid="run-progress">
      <progress max={1} value={done} aria-label="Run progress" />
      <span>
        {run.kind === 'sse' ? `${((p?.elapsedMs ?? 0) / 1000).toFixed(1)} s elapsed · ${p?.sample?.openStreams ?? 0} streams open` : `${p?.sent ?? 0} of ${run.plan.requestCount} requests sent`} · {p?.phase ?? 'starting'}
      </span>
      <button type="button" className="danger" onClick={props.onCancel} data-testid="run-cancel">
        Cancel
      </button>
    </div>
  );
}
