import { useCallback, useEffect, useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { client } from '../../api/client';

export type ProfileSummary = CallOutput<'checks.profiles'>[number];

const KEY = 'preflight.checks.choice';

/** Which profile and environment the Overview and Checklist pages look at (remembered per browser). */
export function useProfileChoice() {
  const [profiles, setProfiles] = useState<ProfileSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoiceState] = useState<{ profile: string; environment: string } | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(KEY) ?? 'null') as { profile: string; environment: string } | null;
    } catch {
      return null;
    }
  });
  const setChoice = useCallback((c: { profile: string; environment: string }) => {
    localStorage.setItem(KEY, JSON.stringify(c));
    setChoiceState(c);
  }, []);
  useEffect(() => {
    client
      .call('checks.profiles', {})
      .then((list) => {
        setProfiles(list);
        setChoiceState((c) => {
          if (c && list.some((p) => p.profile === c.profile && p.environments.some((e) => e.name === c.environment))) return c;
          const first = list.find((p) => !p.error && p.environments.length);
          return first ? { profile: first.profile, environment: first.environments[0]!.name } : null;
        });
      })
      .catch((err: Error) => setError(err.message));
  }, []);
  return { profiles, error, choice, setChoice };
}

export function ProfilePicker(props: { profiles: ProfileSummary[]; choice: { profile: string; environment: string } | null; onChange: (c: { profile: string; environment: string }) => void }) {
  const options = props.profiles.flatMap((p) => p.environments.map((e) => ({ value: `${p.profile}/${e.name}`, label: `${p.profile} / ${e.name} (${e.kind})`, profile: p.profile, environment: e.name })));
  return (
    <select
      aria-label="Profile and environment"
      value={props.choice ? `${props.choice.profile}/${props.choice.environment}` : ''}
      onChange={(e) => {
        const o = options.find((x) => x.value === e.target.value);
        if (o) props.onChange({ profile: o.profile, environment: o.environment });
      }}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
