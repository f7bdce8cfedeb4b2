/**
 * Runs every benchmark one after another in its own process (so one's servers and memory do
 * not colour the next) and prints each one's figures. `npm run bench`; pass names to run a
 * subset: `npm run bench -- pg-sample redis-sample`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run-all.ts', 'stats.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => a !== '--');
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== bench/${name} ===`);
  const result = spawnSync(process.execPath, [join(here, '..', 'bin', 'run-ts.mjs'), join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`bench/${name} exited with ${result.status}`);
  }
}
process.exit(failed ? 1 : 0);
