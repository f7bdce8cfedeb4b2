/**
 * The rule bin/preflight.mjs applies before running the compiled CLI (bin/cli-build.mjs): only
 * while every source the build read is older than the build's start; otherwise the sources run
 * through tsx. Checked on a throw-away project folder.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_MANIFEST, cliBuildFresh } from '../../bin/cli-build.mjs';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A project whose two sources were written at `sourceTimes` (ms) and built at `startedAt`. */
function project(startedAt: number, sourceTimes: number[], manifest: unknown = undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'pf-cli-build-'));
  roots.push(root);
  const inputs = sourceTimes.map((_, i) => `src/f${i}.ts`);
  mkdirSync(join(root, 'src'));
  sourceTimes.forEach((t, i) => {
    writeFileSync(join(root, inputs[i]!), 'export {};\n');
    utimesSync(join(root, inputs[i]!), t / 1000, t / 1000);
  });
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(root, CLI_MANIFEST), JSON.stringify(manifest ?? { startedAt, inputs }));
  return root;
}

const built = Date.UTC(2026, 0, 1, 12);

describe('when the compiled CLI may run', () => {
  it('runs while every source is older than the build', () => {
    expect(cliBuildFresh(project(built, [built - 60_000, built - 1000]))).toBe(true);
  });

  it('falls back to the sources when one source changed after the build started', () => {
    expect(cliBuildFresh(project(built, [built - 60_000, built + 1000]))).toBe(false);
    // A file saved while the build was running may not be in it: the start time counts.
    expect(cliBuildFresh(project(built, [built - 60_000, built]))).toBe(false);
  });

  it('falls back when a source is gone, the manifest is missing or lists nothing', () => {
    const gone = project(built, [built - 1000]);
    rmSync(join(gone, 'src', 'f0.ts'));
    expect(cliBuildFresh(gone)).toBe(false);
    const noManifest = project(built, [built - 1000]);
    rmSync(join(noManifest, CLI_MANIFEST));
    expect(cliBuildFresh(noManifest)).toBe(false);
    expect(cliBuildFresh(project(built, [built - 1000], { startedAt: built, inputs: [] }))).toBe(false);
    expect(cliBuildFresh(project(built, [built - 1000], 'not a manifest'))).toBe(false);
  });
});
