/**
 * Profiles by name: the profile folders ($PREFLIGHT_PROFILES_DIR, `:`-separated, else ./profiles,
 * the project's profiles/ and <dataDir>/profiles), the profiles they hold and loading one by name.
 * The UI never passes a path, only a name found here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHECK_IDS } from '../checks/catalogue';
import { dataDir } from '../util/data-dir';
import { InputError } from '../util/errors';
import { projectPath } from '../util/project-root';
import { MAX_PROFILE_BYTES, readRegularFile } from '../util/read-file';
import { loadProfile, MAX_YAML_ALIAS_COUNT, type LoadedProfile } from './load';

/** No profile of that name in any profile folder; the message lists the folders searched. */
export class ProfileNotFoundError extends InputError {
  override readonly code = 'not_found';
}

function profileFolders(): string[] {
  const fromEnv = process.env.PREFLIGHT_PROFILES_DIR;
  return fromEnv ? fromEnv.split(':').filter(Boolean) : [...new Set([join(process.cwd(), 'profiles'), projectPath('profiles')])].concat(join(dataDir(), 'profiles'));
}

/** Every profile in the folders by name (file name without .yaml); the first folder wins a name. */
export function profileFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of profileFolders()) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const name = basename(f).replace(/\.ya?ml$/, '');
      if (/\.ya?ml$/.test(f) && !files.has(name) && !isIndexList(join(dir, f))) files.set(name, join(dir, f));
    }
  }
  return files;
}

/** A bare list of expected indexes (`pg indexes --expect`) shares the folder but is not a profile. */
function isIndexList(file: string): boolean {
  try {
    return Array.isArray(parseYaml(readRegularFile(file, MAX_PROFILE_BYTES), { maxAliasCount: MAX_YAML_ALIAS_COUNT }));
  } catch {
    return false; // a broken profile is listed, with its error
  }
}

/** Loads a profile file, knowing the catalogue's check ids (a reference to an unknown check is an error). */
export function loadProfileFile(file: string): LoadedProfile {
  return loadProfile(file, { knownCheckIds: CHECK_IDS });
}

/** A profile by name; throws ProfileNotFoundError, or ProfileError with file:line messages. */
export function loadNamedProfile(name: string): LoadedProfile {
  const file = profileFiles().get(name);
  if (!file) throw new ProfileNotFoundError(`No profile named "${name}" in ${profileFolders().join(' or ')}.`);
  return loadProfileFile(file);
}

/** The expected-index list the Indexes page offers by default: the first startinsight-indexes.yaml found. */
export function defaultIndexListPath(): string | null {
  const candidates = [process.env.PREFLIGHT_PROFILES_DIR, join(process.cwd(), 'profiles'), projectPath('profiles')].filter((d): d is string => !!d).map((d) => join(d, 'startinsight-indexes.yaml'));
  return candidates.find((p) => existsSync(p)) ?? null;
}
