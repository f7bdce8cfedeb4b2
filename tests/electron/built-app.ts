/**
 * Builds the desktop app into a temp folder laid out as the app ships: dist/electron built by
 * scripts/build-electron.mjs (the script `npm run app` runs), dist/renderer by the Vite config,
 * package.json, and node_modules for the externals. Nothing else of the repository is there,
 * so a run-time path that only works from a source checkout fails the boot test.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../harness/cli';

export async function buildAppInto(extraFiles: string[] = []): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'preflight-app-'));
  await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-electron.mjs'), '--outdir', join(root, 'dist', 'electron')], { cwd: PROJECT_ROOT });
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: join(root, 'dist', 'renderer'), emptyOutDir: true } });
  for (const file of ['package.json', ...extraFiles]) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, file), join(root, file));
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** Runs tests/electron/boot-runner.mjs on a built app; resolves with its record. */
export async function bootApp(root: string, env: NodeJS.ProcessEnv): Promise<{ code: number; record: BootRecord }> {
  const out = join(root, 'boot-record.json');
  const code = await new Promise<number>((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'tests', 'electron', 'boot-runner.mjs'), root, out], { cwd: tmpdir(), env: { ...process.env, ...env }, timeout: 90_000 }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
    );
  });
  const { readFileSync } = await import('node:fs');
  let record: BootRecord;
  try {
    record = JSON.parse(readFileSync(out, 'utf8')) as BootRecord;
  } catch {
    record = { steps: [], error: 'the boot runner wrote no record' } as unknown as BootRecord;
  }
  return { code, record };
}

type Envelope = { result?: unknown; error?: { message: string; code: string } };
export interface BootRecord {
  steps: string[];
  error?: string;
  stderr: string;
  unsupported: string[];
  beforeReady: { privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[]; schemesRegisteredBeforeReady: boolean | null; sandboxEnabledBeforeReady: boolean | null };
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: string[] }[];
  ipcChannels: string[];
  ipcListeners: string[];
  ipcChannelsAfterQuit: string[];
  errorBoxes: unknown[];
  exitCode: number | null;
  entry: { url: string; status: number | null; csp: string | null; isHtml: boolean };
  entryAssets: { ref: string; status: number | null; type: string }[];
  preload: { required: string[]; exposed: Record<string, Record<string, string>>; preloadPath: string | null };
  bridgeCalls: { appInfo: Envelope; unknown: Envelope };
  eventArgs: unknown[][];
  untrustedSenders: Record<string, Envelope>;
  contents: ({ kind: string; windowOpen: Record<string, { action: string }> | null } & Record<string, unknown>)[];
  openedExternally: string[];
  permissions: { requests: [string, boolean][]; check: boolean | null; device: boolean | null };
  sessionHeaders: Record<string, string[]> | null;
  demoBundleExports: string[];
  pgWatch?: Envelope;
  sessionsBeforeQuit?: number;
  sessionsAfterQuit?: string;
}
