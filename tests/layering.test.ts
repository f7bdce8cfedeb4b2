import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './harness/cli';

// The layering rules are only worth having if they fire: lint small snippets placed in each layer.
async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, path) });
  return result!.messages.map((m) => m.message);
}

describe('layering lint (DESIGN.md §2)', () => {
  it('rejects electron in the engine', async () => {
    expect((await lintAs('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).join('\n')).toMatch(/Bad layering/);
  });
  it('rejects the demo stack in the engine and the serve bridge, allows it in the CLI and the demo', async () => {
    const importDemo = (from: string) => `import { startPostgres } from '${from}demo/ephemeral/postgres';\nexport const a = startPostgres;\n`;
    expect((await lintAs('electron/core/engine/x.ts', importDemo('../../../'))).join('\n')).toMatch(/Bad layering: the engine never imports the demo/);
    expect((await lintAs('electron/server/x.ts', importDemo('../../'))).join('\n')).toMatch(/Bad layering: the engine never imports the demo/);
    expect((await lintAs('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).join('\n')).toMatch(/only electron\/main/);
    expect(await lintAs('electron/cli/commands/x.ts', importDemo('../../../'))).toEqual([]);
    expect(await lintAs('demo/x.ts', importDemo('./').replace('./demo/', './'))).toEqual([]);
  });
  it('rejects Node and database clients in the renderer', async () => {
    expect((await lintAs('renderer/src/x.ts', "import pg from 'pg';\nexport const a = pg;\n")).join('\n')).toMatch(/Bad layering/);
    expect((await lintAs('renderer/src/y.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).join('\n')).toMatch(/Bad layering/);
    expect((await lintAs('renderer/src/z.ts', "import { createEngine } from '../../electron/core/api/engine';\nexport const a = createEngine;\n")).join('\n')).toMatch(/Bad layering/);
  });
  it('rejects alert() in the renderer', async () => {
    expect((await lintAs('renderer/src/w.ts', "export function f() { alert('x'); }\n")).join('\n')).toMatch(/alert/);
  });
  it('rejects probes importing checks (and keeps the engine rules there)', async () => {
    const messages = async (path: string, code: string) => (await lintAs(path, code)).join('\n');
    expect(await messages('electron/core/probes/active/x.ts', "import { rateLimitReport } from '../../checks/active';\nexport const a = rateLimitReport;\n")).toMatch(/probes never import checks/);
    expect(await messages('electron/core/probes/x.ts', "import type { CheckResult } from '../checks/result';\nexport type A = CheckResult;\n")).toMatch(/probes never import checks/);
    expect(await messages('electron/core/probes/redis/x.ts', "import { catalogue } from '../../checks';\nexport const a = catalogue;\n")).toMatch(/probes never import checks/);
    expect(await messages('electron/core/probes/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toMatch(/Bad layering/);
    // Outside probes/ the engine may import checks; inside, probes may import each other.
    expect(await lintAs('electron/core/engine/x.ts', "import { rateLimitReport } from '../checks/active';\nexport const a = rateLimitReport;\n")).toEqual([]);
    expect(await lintAs('electron/core/probes/active/y.ts', "import { retryDelayMs } from './limiter-headers';\nexport const a = retryDelayMs;\n")).toEqual([]);
  });
  it('rejects shared importing either side', async () => {
    expect((await lintAs('shared/x.ts', "import { createEngine } from '../electron/core/api/engine';\nexport const a = createEngine;\n")).join('\n')).toMatch(/Bad layering/);
  });
  it('rejects paths relative to a module’s own location outside project-root.ts (they break once bundled)', async () => {
    expect((await lintAs('demo/x.ts', "export const dir = new URL('./migrations', import.meta.url);\n")).join('\n')).toMatch(/projectPath/);
    expect((await lintAs('electron/main/x.ts', "export const dir = __dirname;\n")).join('\n')).toMatch(/projectPath/);
    expect((await lintAs('shared/x.ts', "export const dir = import.meta.dirname;\n")).join('\n')).toMatch(/projectPath/);
    expect(await lintAs('electron/core/util/project-root.ts', "export const here = import.meta.url;\n")).toEqual([]);
  });
  it('accepts the renderer importing shared', async () => {
    expect(await lintAs('renderer/src/ok.ts', "import { calls } from '../../shared/contract';\nexport const a = calls;\n")).toEqual([]);
  });
});
