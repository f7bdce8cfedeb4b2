/**
 * A probe that was refused for its credentials throws an error carrying `authFailed: true`.
 * Watchers stop on it instead of retrying on a schedule: repeated failed logins trip lockouts
 * and bans on managed databases (DESIGN.md §3).
 */
export const AUTH_STOPPED_HINT = 'Preflight stopped watching and will not retry a failed login on a schedule (repeated failures can lock the account or ban this address). Enter new credentials and watch again.';

export function isAuthFailure(err: unknown): boolean {
  return (err as { authFailed?: unknown } | null)?.authFailed === true;
}
