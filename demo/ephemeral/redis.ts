/**
 * A throw-away redis-server (free port, no persistence). Like EphemeralPostgres, it can be
 * stopped and started again from any process that holds its `info`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from './binaries';
import { freePort } from './ports';

export interface EphemeralRedisInfo {
  url: string;
  port: number;
  dir: string;
  binary: string;
  extraArgs: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class EphemeralRedis {
  constructor(readonly info: EphemeralRedisInfo) {}

  get url(): string {
    return this.info.url;
  }

  private get pidFile(): string {
    return join(this.info.dir, 'redis.pid');
  }

  async start(): Promise<void> {
    const args = [
      '--port', String(this.info.port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.info.dir,
      '--daemonize', 'yes',
      '--pidfile', this.pidFile,
      '--logfile', join(this.info.dir, 'redis.log'),
      ...this.info.extraArgs,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(this.info.binary, args, { stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-server exited with ${code}; see ${join(this.info.dir, 'redis.log')}`))));
    });
    for (let i = 0; i < 200; i++) {
      if (await canConnect(this.info.port)) return;
      await sleep(25);
    }
    throw new Error(`redis-server did not accept connections on port ${this.info.port} within 5 s`);
  }

  async stop(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    if (!pid || !pidAlive(pid)) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 400 && pidAlive(pid); i++) await sleep(25);
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    // The port must be free before a restart binds it again.
    for (let i = 0; i < 200 && (await canConnect(this.info.port)); i++) await sleep(25);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // already gone
    }
    rmSync(this.info.dir, { recursive: true, force: true });
  }
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']. */
  args?: string[];
}

export async function startRedis(options: StartRedisOptions = {}): Promise<EphemeralRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'preflight-redis-'));
  const redis = new EphemeralRedis({
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    binary: findRedisServer(),
    extraArgs: options.args ?? [],
  });
  try {
    await redis.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return redis;
}
