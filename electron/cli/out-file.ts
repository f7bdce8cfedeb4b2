/**
 * Options that name a file to write (`check --junit`, `checklist export --out`) are checked
 * when the arguments are parsed, before any probe runs: a run of several seconds against
 * production must not end in "cannot write the report".
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

export function writableFile(value: string): string {
  if (!value.trim()) throw new InvalidArgumentError('expected a file path');
  const path = resolve(value);
  const st = statSync(path, { throwIfNoEntry: false });
  if (st) {
    if (!st.isFile()) throw new InvalidArgumentError(`${value} exists and is not a regular file`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new InvalidArgumentError(`${value} exists and is not writable`);
    }
    return value;
  }
  const dir = dirname(path);
  const parent = statSync(dir, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) throw new InvalidArgumentError(`the folder ${dir} does not exist: create it first or choose another path`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`the folder ${dir} is not writable`);
  }
  return value;
}
