/**
 * One rule for every reply fetched for a selected target (endpoints, sessions, indexes, launch…):
 * a reply is applied only while the target it was asked for is still the one selected. A reply
 * that arrives after the user switched away (a slow database, a slow answer) is dropped, so one
 * target's figures never show under another target's name.
 *
 *   const forTarget = useCurrentTarget(targetId);
 *   client.call('x', { targetId }).then(forTarget(targetId, setX), forTarget(targetId, showError));
 */
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useCurrentTarget(targetKey: string | null) {
  const current = useRef(targetKey);
  // Set when the new selection commits, before any later reply can resolve.
  useLayoutEffect(() => {
    current.current = targetKey;
  }, [targetKey]);
  return useCallback(
    <A extends unknown[]>(askedFor: string, apply: (...args: A) => void) =>
      (...args: A): void => {
        if (current.current === askedFor) apply(...args);
      },
    [],
  );
}
