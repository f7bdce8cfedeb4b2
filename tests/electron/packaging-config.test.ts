/**
 * electron-builder.yml, checked in CI without packaging (`npm run dist` needs the internet):
 * valid for the installed electron-builder's schema, the targets and fuses the app ships
 * with, and a `files` list that covers every file the main bundle reads at run time. What it
 * ships of node_modules: packaging-modules.test.ts (it builds the bundles).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';
import { builderConfig, filesUnder, shipped } from './packaging';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (config: unknown, log: unknown) => Promise<void> };
const quietLog = { isEnabled: false, add: () => undefined };
const config = builderConfig();

type Target = { target: string; arch: string[] };
const targets = (platform: string) => ((config[platform] as { target: Target[] }).target ?? []).map((t) => `${t.target}:${[...t.arch].sort().join(',')}`);

/** Every projectPath('a', 'b', …) in the code that runs in the app: the files it reads at run time. */
function runtimePaths(): string[] {
  const paths = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) {
        for (const [, args] of readFileSync(path, 'utf8').matchAll(/projectPath\(([^)]*)\)/g)) {
          if (!args!.trim() || args!.includes('...')) continue;
          paths.add(args!.split(',').map((a) => a.trim().replace(/^'|'$/g, '')).join('/'));
        }
      }
    }
  };
  walk(join(PROJECT_ROOT, 'electron'));
  walk(join(PROJECT_ROOT, 'demo'));
  return [...paths].sort();
}

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder (its own schema check), which does reject a wrong key', async () => {
    await expect(validateConfiguration(config, quietLog)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { ...(config.electronFuses as object), runAsnode: false } }, quietLog)).rejects.toThrow(/configuration.electronFuses/);
  });

  it('names the app, ships an icon, packs into asar and rebuilds native modules for Electron', () => {
    expect(config).toMatchObject({ appId: 'dev.preflight.app', productName: 'Preflight', asar: true, npmRebuild: true, extraMetadata: { main: 'dist/electron/main.cjs' } });
    for (const platform of ['mac', 'linux', 'win']) {
      const icon = join(PROJECT_ROOT, (config[platform] as { icon: string }).icon);
      expect(existsSync(icon), `${platform} icon ${icon}`).toBe(true);
      // electron-builder makes .icns/.ico from a PNG of at least 512x512.
      const png = readFileSync(icon);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)].every((side) => side >= 512)).toBe(true);
    }
    expect((config.asarUnpack as string[]).some((p) => p.startsWith('node_modules/better-sqlite3'))).toBe(true);
  });

  it('builds Linux AppImage and deb, macOS dmg for arm64 and x64, Windows NSIS', () => {
    expect(targets('linux').sort()).toEqual(['AppImage:x64', 'deb:x64']);
    expect(targets('mac')).toEqual(['dmg:arm64,x64']);
    expect(targets('win')).toEqual(['nsis:x64']);
  });

  it('burns the fuses: no run-as-node, no NODE_OPTIONS or inspect flags, encrypted cookies, asar integrity, app only from asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships every file the app reads at run time, and the bundles the build writes', () => {
    const paths = runtimePaths();
    // The reader must find the paths it is meant to guard.
    expect(paths).toEqual(expect.arrayContaining(['dist/renderer', 'dist/electron/preload.cjs', 'demo/migrations', 'profiles']));
    const projectFiles = filesUnder(PROJECT_ROOT);
    for (const path of paths.filter((p) => !p.startsWith('dist/'))) {
      const isDir = statSync(join(PROJECT_ROOT, path)).isDirectory();
      const files = isDir ? projectFiles.filter((f) => f.startsWith(`${path}/`)) : [path];
      expect(files.length, path).toBeGreaterThan(0);
      for (const file of files) expect(shipped(file, config.files), file).toBe(true);
    }
    for (const file of ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/demo.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc.js']) expect(shipped(file, config.files), file).toBe(true);
    for (const file of ['dist/electron/main.cjs.map', 'electron/main/main.ts', 'tests/electron/boot.test.ts', '.env']) expect(shipped(file, config.files), file).toBe(false);
  });
});
