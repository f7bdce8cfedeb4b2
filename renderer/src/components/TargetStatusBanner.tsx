import type { TargetStatus } from '../../../shared/schemas/target-status';
import { formatClock, formatInterval } from '../format';
import { StateMessage } from './StateMessage';

/**
 * What a watch page says about its target before anything else: down (retrying on the loop's
 * interval), stopped after a failed login (never retried), or still starting.
 */
export function TargetStatusBanner(props: { status: TargetStatus | null; downTitle: string; intervalMs: number; startingTitle: string; staleNote?: string | null }) {
  const s = props.status;
  if (!s) return <StateMessage kind="loading" title={props.startingTitle} />;
  if (s.state === 'auth_failed') {
    return (
      <StateMessage kind="error" title="Authentication failed — stopped">
        <span data-testid="target-status-error">{s.lastError?.message}</span>
      </StateMessage>
    );
  }
  if (s.state === 'down') {
    return (
      <StateMessage kind="error" title={props.downTitle}>
        <span data-testid="target-status-error">{s.lastError?.message}</span> — retrying every {formatInterval(props.intervalMs)}.
        {props.staleNote ? ` ${props.staleNote}` : ''} Down since {formatClock(s.since)}.
      </StateMessage>
    );
  }
  if (s.state === 'starting') return <StateMessage kind="loading" title={props.startingTitle} />;
  return null;
}
