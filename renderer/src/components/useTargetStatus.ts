/**
 * The selected target's state and last error, read from the engine (`<feature>.status`) when the
 * page mounts or the selection changes, again after each live event, and on a slow poll (fast
 * while the target is still starting). A page that opened after the first failure, or whose
 * event stream missed it, still says what is going on instead of spinning.
 */
import { useEffect, useRef, useState } from 'react';
import type { TargetStatus } from '../../../shared/schemas/target-status';

const STARTING_POLL_MS = 1500;
const SETTLED_POLL_MS = 10_000;

export function useTargetStatus<T extends { targetId: string; status: TargetStatus }>(get: (targetId: string) => Promise<T>, targetId: string | null, liveKey?: unknown) {
  const [target, setTarget] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef('');
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!targetId) {
      last.current = '';
      setTarget(null);
      return;
    }
    let cancelled = false;
    void get(targetId).then(
      (t) => {
        if (cancelled) return;
        // lastOkAt moves on every good sample and nothing shows it: it alone never re-renders the page.
        const key = JSON.stringify({ ...t, status: { ...t.status, lastOkAt: null } });
        // Re-render only when something changed: this runs on every tick.
        if (key !== last.current) {
          last.current = key;
          setTarget(t);
        }
        setError(null);
      },
      (err: Error) => !cancelled && setError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [get, targetId, liveKey, nonce]);

  const state = target?.targetId === targetId ? target.status.state : 'starting';
  useEffect(() => {
    if (!targetId) return;
    const timer = setTimeout(() => setNonce((n) => n + 1), state === 'starting' ? STARTING_POLL_MS : SETTLED_POLL_MS);
    return () => clearTimeout(timer);
  }, [targetId, state, nonce]);

  return { target: target?.targetId === targetId ? target : null, error };
}
