/**
 * Builds the desktop app into a temp folder laid out as electron-builder packs it: the bundles
 * built by scripts/build-electron.mjs (the script `npm run app` runs) and the renderer by the
 * Vite config, then only the files electron-builder.yml's `files` list ships (plus node_modules
 * for the externals). A run-time path that only works from a source checkout, or a file the
 * list forgets, fails the boot test.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../harness/cli';
import { builderConfig, filesUnder, shipped } from './packaging';

export interface BuiltApp {
  /** Everything the build wrote, source maps included. */
  buildDir: string;
  /** The app as packaged: only what `files` ships. */
  appDir: string;
}

export async function buildApp(): Promise<BuiltApp> {
  const base = mkdtempSync(join(tmpdir(), 'preflight-app-'));
  const buildDir = join(base, 'build');
  const appDir = join(base, 'app');
  await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-electron.mjs'), '--outdir', join(buildDir, 'dist', 'electron')], { cwd: PROJECT_ROOT });
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: join(buildDir, 'dist', 'renderer'), emptyOutDir: true } });
  const patterns = builderConfig().files;
  const copy = (fromRoot: string, file: string) => {
    mkdirSync(dirname(join(appDir, file)), { recursive: true });
    copyFileSync(join(fromRoot, file), join(appDir, file));
  };
  // dist/ comes from this build; everything else from the project, as electron-builder would take it.
  for (const file of filesUnder(buildDir)) if (shipped(file, patterns)) copy(buildDir, file);
  for (const file of filesUnder(PROJECT_ROOT)) if (!file.startsWith('dist/') && shipped(file, patterns)) copy(PROJECT_ROOT, file);
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(appDir, 'node_modules'));
  return { buildDir, appDir };
}

export function mainBundleSources(app: BuiltApp): string[] {
  return (JSON.parse(readFileSync(join(app.buildDir, 'dist', 'electron', 'main.cjs.map'), 'utf8')) as { sources: string[] }).sources;
}

/** Runs tests/electron/boot-runner.mjs on a built app; resolves with its record. */
export async function bootApp(appDir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; record: BootRecord }> {
  const out = join(appDir, '..', 'boot-record.json');
  const code = await new Promise<number>((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'tests', 'electron', 'boot-runner.mjs'), appDir, out], { cwd: tmpdir(), env: { ...process.env, PREFLIGHT_PROFILES_DIR: undefined, ...env }, timeout: 90_000 }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
    );
  });
  try {
    return { code, record: JSON.parse(readFileSync(out, 'utf8')) as BootRecord };
  } catch {
    return { code, record: { steps: [], error: 'the boot runner wrote no record' } as unknown as BootRecord };
  }
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
  bridgeCalls: { appInfo: Envelope; unknown: Envelope; profiles: Envelope };
  keychain: Record<'status' | 'refusedSave' | 'accepted' | 'save' | 'list', Envelope>;
  eventArgs: unknown[][];
  untrustedSenders: Record<string, Envelope>;
  contents: ({ kind: string; windowOpen: Record<string, { action: string }> | null } & Record<string, unknown>)[];
  openedExternally: string[];
  permissions: { requests: [string, boolean][]; check: boolean | null; device: boolean | null };
  sessionHeaders: Record<string, string[]> | null;
  demoBundleExports: string[];
  demoMigrationsShipped: boolean;
  sentryLoaded: boolean;
  pgWatch?: Envelope;
  appInfo?: Envelope;
  launch?: {
    started: Envelope & { result?: { sessionId: string } };
    stopped: Envelope;
    blockersWhileRunning: { id: number; type: string; stopped: boolean }[];
    blockersAfterStop: { id: number; type: string; stopped: boolean }[];
    notifications: { title: string; body: string; urgency: string | null; shown: boolean }[];
  };
  sessionsBeforeQuit?: number;
  sessionsAfterQuit?: string;
}
