/**
 * The team's pre-deploy step, done by the demo itself on its own throw-away copy of the backend
 * .env: start the checklist walkthrough for profile demo / env local (the engine's
 * `checklist.start`, as `preflight checklist start` and the Checklist page do — it records salted
 * fingerprints of the secrets to rotate), then give each secret the profile lists under
 * expectations.envFile.rotate a fresh random value. So secrets.rotated has evidence on a fresh
 * demo. The repo's fixture file is only ever read.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../electron/core/api/engine';
import { profileByName } from '../electron/core/api/named-profile';
import { projectPath } from '../electron/core/util/project-root';

export const DEMO_ENV_FIXTURE = projectPath('demo', 'static-fixtures', 'backend.env');

/** A random value shaped like the old one: its lowercase `xxx_` prefix kept (whsec_…), hex of the same length (at least 32). */
export function freshSecretLike(old: string): string {
  const prefix = /^[a-z]+_/.exec(old)?.[0] ?? '';
  const length = Math.max(old.length - prefix.length, 32);
  return prefix + randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

/** Replaces the value of each named KEY=value line (an `export` prefix kept); returns the names found. */
export function rotateEnvText(text: string, names: readonly string[]): { text: string; rotated: string[] } {
  const rotated: string[] = [];
  const lines = text.split(/(\r?\n)/);
  for (let i = 0; i < lines.length; i += 2) {
    const m = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*)(.*)$/.exec(lines[i]!);
    if (!m || !names.includes(m[2]!)) continue;
    const old = m[3]!.replace(/^(['"])(.*)\1\s*$/, '$2');
    lines[i] = m[1]! + freshSecretLike(old);
    if (!rotated.includes(m[2]!)) rotated.push(m[2]!);
  }
  return { text: lines.join(''), rotated };
}

/**
 * Copies the fixture into `dir`, points DEMO_ENV_FILE at the copy (profiles/demo.yaml reads it),
 * starts the walkthrough and rotates the copy's listed secrets. Returns the copy's path and the
 * names rotated.
 */
export async function walkthroughWithRotatedSecrets(engine: Engine, dir: string): Promise<{ envFile: string; rotated: string[] }> {
  const envFile = join(dir, 'backend.env');
  copyFileSync(DEMO_ENV_FIXTURE, envFile);
  process.env.DEMO_ENV_FILE = envFile;
  const ref = { profile: 'demo', environment: 'local' };
  await engine.handlers['checklist.start'](ref);
  // The list the walkthrough just fingerprinted: the same profile, resolved by name as the handler did.
  const names = profileByName(ref.profile).profile.expectations.envFile?.rotate ?? [];
  const { text, rotated } = rotateEnvText(readFileSync(envFile, 'utf8'), names);
  writeFileSync(envFile, text, { mode: 0o600 });
  return { envFile, rotated };
}
