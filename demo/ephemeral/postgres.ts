/**
 * A throw-away PostgreSQL cluster (initdb + pg_ctl in a temp dir, free port) for tests, the demo
 * and benchmarks. Every method works from any process given the serialisable `info`, so a test
 * worker can stop and restart a cluster that a global setup started.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinDir } from './binaries';
import { freePort } from './ports';

const run = promisify(execFile);

export interface EphemeralPostgresInfo {
  url: string;
  port: number;
  dir: string;
  dataDir: string;
  binDir: string;
  runAs: string | null;
}

export interface StartPostgresOptions {
  maxConnections?: number;
  /** Extra postgresql.conf lines, e.g. `log_min_duration_statement = 0`. */
  settings?: Record<string, string | number>;
  /** pg_hba.conf lines placed before the default trust rules (first match wins), e.g. password auth for one role. */
  hbaLines?: string[];
}

/** Postgres refuses to run as root: when we are root, run the server binaries as `postgres`. */
function unprivilegedUser(): { name: string; uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const name = process.env.PREFLIGHT_PG_USER ?? 'postgres';
  const ids = userIds(name);
  if (!ids) throw new Error(`Running as root, and the unprivileged user "${name}" to run Postgres as does not exist. Create it or set PREFLIGHT_PG_USER.`);
  return { name, ...ids };
}

function userIds(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

async function pgExec(info: Pick<EphemeralPostgresInfo, 'binDir' | 'runAs'>, tool: string, args: string[]): Promise<string> {
  const bin = join(info.binDir, tool);
  const [file, argv] = info.runAs ? ['runuser', ['-u', info.runAs, '--', bin, ...args]] : [bin, args];
  try {
    const { stdout } = await run(file, argv, { timeout: 60_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${tool} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

export class EphemeralPostgres {
  constructor(readonly info: EphemeralPostgresInfo) {}

  get url(): string {
    return this.info.url;
  }

  /** A URL for another database on the same cluster. */
  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.info.port}/${encodeURIComponent(database)}`;
  }

  async start(): Promise<void> {
    await pgExec(this.info, 'pg_ctl', ['-D', this.info.dataDir, '-l', join(this.info.dir, 'server.log'), '-w', '-t', '60', 'start']);
  }

  async stop(): Promise<void> {
    await pgExec(this.info, 'pg_ctl', ['-D', this.info.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server if it runs, then deletes every file it had. Never throws. */
  async destroy(): Promise<void> {
    try {
      await pgExec(this.info, 'pg_ctl', ['-D', this.info.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(this.info.dir, { recursive: true, force: true });
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<EphemeralPostgres> {
  const binDir = findPostgresBinDir();
  const user = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'preflight-pg-'));
  const dataDir = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  const info: EphemeralPostgresInfo = {
    url: '',
    port: await freePort(),
    dir,
    dataDir,
    binDir,
    runAs: user?.name ?? null,
  };
  const superuser = 'postgres';
  info.url = `postgres://${superuser}@127.0.0.1:${info.port}/postgres`;
  try {
    await pgExec(info, 'initdb', ['-D', dataDir, '-U', superuser, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const settings: Record<string, string | number> = {
      port: info.port,
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      max_connections: options.maxConnections ?? 100,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: "'32MB'",
      ...options.settings,
    };
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# preflight ephemeral cluster\n${lines.join('\n')}\n`);
    if (options.hbaLines?.length) {
      const hba = join(dataDir, 'pg_hba.conf');
      writeFileSync(hba, `${options.hbaLines.join('\n')}\n${readFileSync(hba, 'utf8')}`);
    }
    const pg = new EphemeralPostgres(info);
    await pg.start();
    return pg;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
