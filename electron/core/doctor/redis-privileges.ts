/**
 * What the configured Redis user can do. PING and INFO go through Preflight's probe client (the
 * only commands it ever sends on a schedule, DESIGN.md §3). To tell whether MORE is allowed,
 * doctor sends — once, on request — two read-only ACL commands on its own short connection:
 * `ACL WHOAMI`, and `ACL GETUSER <name>` only if WHOAMI was allowed. Neither changes anything
 * and both are O(1) in data size. It never tries a risky command to see whether it works
 * (KEYS, CONFIG, ACL DRYRUN, COMMAND): a refused WHOAMI already shows the user is held to an
 * allowlist, and Redis records that refusal in its ACL LOG (the report says so).
 */
import { Redis } from 'ioredis';
import { parseRedisUrl, RedisProbeClient } from '../probes/redis';
import { maskUrl, scrubMessage } from '../util/redact';
import type { Finding, TargetReport } from './report';

function redisLeastPrivilege(user = 'preflight_monitor'): string[] {
  return [
    `ACL SETUSER ${user} on >choose-a-long-random-password resetkeys resetchannels -@all +ping +info`,
    `ACL SAVE  # when the server uses an ACL file (aclfile); with redis.conf users, also CONFIG REWRITE`,
    `# Managed Redis (Upstash, ElastiCache, …): create the user in the provider's console with only PING and INFO.`,
  ];
}

/** `-@all +info +ping` in any order (and Redis's spelling variants) is exactly what Preflight needs. */
function onlyInfoAndPing(commands: string): boolean {
  const rules = commands.trim().split(/\s+/).filter(Boolean);
  const allow = rules.filter((r) => r.startsWith('+')).map((r) => r.slice(1).toLowerCase());
  const startsDenied = rules[0] === '-@all';
  return startsDenied && allow.length > 0 && allow.every((c) => c === 'info' || c === 'ping');
}

function isNoPerm(err: unknown): boolean {
  return /NOPERM/i.test((err as Error)?.message ?? '');
}

async function aclView(url: string): Promise<{ whoami: string | null; commands: string | null; refused: boolean }> {
  const target = parseRedisUrl(url);
  const redis = new Redis({ host: target.host, port: target.port, username: target.username, password: target.password, tls: target.tls ? {} : undefined, lazyConnect: true, enableReadyCheck: false, disableClientInfo: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, commandTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let whoami: string;
    try {
      whoami = String(await redis.call('ACL', 'WHOAMI'));
    } catch (err) {
      if (isNoPerm(err)) return { whoami: null, commands: null, refused: true };
      throw err;
    }
    try {
      const reply = (await redis.call('ACL', 'GETUSER', whoami)) as unknown[];
      const at = reply.findIndex((v) => String(v) === 'commands');
      return { whoami, commands: at >= 0 ? String(reply[at + 1]) : null, refused: false };
    } catch (err) {
      if (isNoPerm(err)) return { whoami, commands: null, refused: true };
      throw err;
    }
  } finally {
    redis.disconnect();
  }
}

export async function redisPrivileges(url: string): Promise<TargetReport> {
  const user = parseRedisUrl(url).username || 'default';
  const report: TargetReport = { kind: 'redis', target: maskUrl(url), user, reachable: false, findings: [], leastPrivilege: redisLeastPrivilege() };
  const f: Finding[] = report.findings;
  const probe = new RedisProbeClient(url, { reconnect: false });
  try {
    try {
      await probe.ping();
      report.reachable = true;
      f.push({ level: 'ok', id: 'redis.ping', text: 'PING works.' });
    } catch (err) {
      if (!isNoPerm(err)) {
        f.push({ level: 'warn', id: 'redis.unreachable', text: `Could not connect: ${scrubMessage((err as Error).message)}` });
        return report;
      }
      report.reachable = true;
      f.push({ level: 'warn', id: 'redis.ping', text: 'PING is refused (NOPERM): grant +ping.' });
    }
    try {
      await probe.info(['server']);
      f.push({ level: 'ok', id: 'redis.info', text: 'INFO works.' });
    } catch (err) {
      f.push({ level: 'warn', id: 'redis.info', text: `INFO is refused: ${scrubMessage((err as Error).message)}. Grant +info.` });
    }
  } finally {
    await probe.close().catch(() => undefined);
  }
  try {
    const acl = await aclView(url);
    if (acl.commands !== null) {
      if (onlyInfoAndPing(acl.commands)) f.push({ level: 'ok', id: 'redis.more-allowed', text: `Allowed commands: ${acl.commands} — exactly what Preflight needs.` });
      else f.push({ level: 'warn', id: 'redis.more-allowed', text: `${acl.whoami} may run more than INFO and PING (${acl.commands})${acl.commands.includes('@all') || acl.commands.includes('@dangerous') ? ', including KEYS, FLUSHALL, CONFIG SET and ACL changes' : ''}. Monitor with a +info +ping user.` });
    } else if (acl.refused && acl.whoami) {
      f.push({ level: 'info', id: 'redis.more-allowed', text: `${acl.whoami} may not read its own ACL (ACL GETUSER refused): it is held to an allowlist; an admin can confirm with ACL GETUSER ${acl.whoami}.` });
    } else if (acl.refused) {
      f.push({ level: 'ok', id: 'redis.more-allowed', text: `ACL commands are refused: the user is held to an allowlist (doctor does not try other commands; the refusal is recorded in the server's ACL LOG). An admin can confirm with ACL GETUSER ${user}.` });
    }
  } catch (err) {
    f.push({ level: 'info', id: 'redis.more-allowed', text: `Could not ask Redis what else the user may run: ${scrubMessage((err as Error).message)}` });
  }
  return report;
}
