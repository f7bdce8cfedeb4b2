/**
 * What every "watch a target" page shares: the list of watched targets from the engine, the
 * selected one, a picker with a stop button, and the loading/error states of that list.
 */
import { useCallback, useEffect, useState } from 'react';
import { StateMessage } from './StateMessage';

export interface WatchedTarget {
  targetId: string;
  label: string;
  /** Short salted fingerprint of the full URL: two watches with the same masked label differ here. */
  fingerprint?: string;
}

/** How a target is named in pickers: its masked label plus the fingerprint that tells equal labels apart. */
export function targetName(t: WatchedTarget): string {
  return t.fingerprint ? `${t.label} · #${t.fingerprint}` : t.label;
}

export function useWatchedTargets<T extends WatchedTarget>(list: () => Promise<T[]>, unwatch: (targetId: string) => Promise<unknown>) {
  const [targets, setTargets] = useState<T[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const items = await list();
      setTargets(items);
      setSelected((s) => (s && items.some((t) => t.targetId === s) ? s : (items[0]?.targetId ?? null)));
      setLoadError(null);
    } catch (err) {
      setLoadError((err as Error).message);
    }
    // `list` is a module-level contract call; reloading only when it changes identity is intended.
  }, [list]);
  useEffect(() => void reload(), [reload]);

  const stop = useCallback(async () => {
    if (!selected) return;
    await unwatch(selected);
    await reload();
  }, [selected, unwatch, reload]);

  /** After a new watch starts: select it and refresh the list. */
  const adopt = useCallback(
    (target: Pick<WatchedTarget, 'targetId'>) => {
      setSelected(target.targetId);
      void reload();
    },
    [reload],
  );

  const target = targets?.find((t) => t.targetId === selected) ?? null;
  return { targets, selected, setSelected, target, loadError, reload, stop, adopt };
}

export function TargetPicker<T extends WatchedTarget>(props: { targets: T[] | null; selected: string | null; onSelect: (id: string) => void; onStop: () => void; label: string; stopText: string }) {
  if (!props.targets || props.targets.length === 0) return null;
  return (
    <div className="target-picker">
      <select value={props.selected ?? ''} onChange={(e) => props.onSelect(e.target.value)} aria-label={props.label}>
        {props.targets.map((t) => (
          <option key={t.targetId} value={t.targetId}>
            {targetName(t)}
          </option>
        ))}
      </select>
      <button type="button" className="secondary" onClick={props.onStop}>
        {props.stopText}
      </button>
    </div>
  );
}

/** The engine unreachable, the list still loading, or nothing watched yet. */
export function TargetListStates(props: { targets: unknown[] | null; loadError: string | null; emptyTitle: string; emptyText: string }) {
  return (
    <>
      {props.loadError ? <StateMessage kind="error" title="Could not reach the Preflight engine">{props.loadError}</StateMessage> : null}
      {props.targets === null && !props.loadError ? <StateMessage kind="loading" title="Loading…" /> : null}
      {props.targets && props.targets.length === 0 ? (
        <StateMessage kind="empty" title={props.emptyTitle}>
          {props.emptyText}
        </StateMessage>
      ) : null}
    </>
  );
}
