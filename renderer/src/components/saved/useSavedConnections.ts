/**
 * Saved connections of one kind for the chosen profile and environment. The renderer only ever
 * holds masked URLs: the engine encrypts the URL with the OS keychain and decrypts it itself
 * when a saved connection is watched (shared/contracts/connections.ts).
 */
import { useCallback, useEffect, useState } from 'react';
import type { CallInput } from '../../../../shared/contract';
import type { KeychainStatus, SavedConnection } from '../../../../shared/contracts/connections';
import { BASIC_TEXT_CONSENT } from '../../../../shared/contracts/connections';
import { client } from '../../api/client';
import { useProfileChoice } from '../../views/checks/useProfileChoice';

export function useSavedConnections(kind: SavedConnection['kind']) {
  const { profiles, error: profilesError, choice, setChoice } = useProfileChoice();
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  const [saved, setSaved] = useState<SavedConnection[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await client.call('connections.status', {}));
      setSaved(choice ? (await client.call('connections.list', choice)).filter((c) => c.kind === kind) : []);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [choice, kind]);
  useEffect(() => void reload(), [reload]);

  /** Encrypts and stores the URL for the chosen scope; throws the engine's refusal as is. */
  const save = useCallback(
    async (url: string, label: string) => {
      if (!choice) throw new Error('Choose a profile and environment to save the connection under.');
      const created = await client.call('connections.save', { ...choice, kind, url, label: label.trim() || undefined });
      await reload();
      return created;
    },
    [choice, kind, reload],
  );

  const forget = useCallback(
    async (id: string) => {
      await client.call('connections.delete', { id });
      await reload();
    },
    [reload],
  );

  const watch = useCallback((id: string, options: SavedWatchOptions) => client.call('connections.watch', { id, ...options }), []);

  const acceptBasicText = useCallback(async () => {
    setStatus(await client.call('connections.acceptBasicText', { confirm: BASIC_TEXT_CONSENT }));
  }, []);

  return { profiles, profilesError, choice, setChoice, status, saved, error, save, forget, watch, acceptBasicText };
}

export type SavedConnectionsState = ReturnType<typeof useSavedConnections>;
/** What the connect form holds besides the URL: the interval, and budget/plan limit (Postgres) or thresholds (Redis). */
export type SavedWatchOptions = Omit<CallInput<'connections.watch'>, 'id'>;
