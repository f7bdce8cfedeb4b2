/** Regenerates the check catalogue table of docs/profiles.md from the check modules: npm run docs:checks */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCatalogueTable } from '../electron/core/checks/describe';

const file = join(import.meta.dirname, '..', 'docs', 'profiles.md');
const before = readFileSync(file, 'utf8');
const after = withCatalogueTable(before);
if (after === before) process.stdout.write('docs/profiles.md: the catalogue table is up to date\n');
else {
  writeFileSync(file, after);
  process.stdout.write('docs/profiles.md: catalogue table regenerated\n');
}
