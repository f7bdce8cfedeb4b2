/** A profile by name for a contract call: what a person can fix becomes a contract error with its code. */
import { ContractError } from '../../../shared/dispatch';
import { loadNamedProfile, ProfileNotFoundError } from '../profile/discovery';
import { ProfileError, type LoadedProfile } from '../profile/load';

export function profileByName(name: string): LoadedProfile {
  try {
    return loadNamedProfile(name);
  } catch (err) {
    if (err instanceof ProfileNotFoundError || err instanceof ProfileError) throw new ContractError(err.message, err.code);
    throw err;
  }
}
