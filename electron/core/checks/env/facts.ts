/** What may be shown about a variable of the env file: presence, length, fingerprint — never the value. */
import type { EnvFileObservation } from '../../probes/static/env-file';

export function facts(obs: EnvFileObservation, name: string) {
  const v = obs.variables[name];
  return v ? { present: v.length > 0, length: v.length, fingerprint: v.fingerprint, line: v.line } : { present: false };
}
