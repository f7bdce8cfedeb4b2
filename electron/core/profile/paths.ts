import { dirname, isAbsolute, resolve } from 'node:path';
import type { LoadedProfile } from '../profile/load';

/** A path the profile wrote: absolute as is, relative to the profile's own folder otherwise. */
export function profilePath(loaded: LoadedProfile, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(loaded.file), path);
}
