/**
 * Typed reading of `INFO <section>` replies. Each section is parsed on its own; a section the
 * server leaves out (managed Redis such as Upstash returns only some) is `null` — unknown —
 * and a field missing inside a section is `null`, never 0.
 */

export const INFO_SECTIONS = ['server', 'clients', 'memory', 'stats', 'replication', 'keyspace'] as const;
export type InfoSectionName = (typeof INFO_SECTIONS)[number];

export interface ServerInfo {
  version: string | null;
  mode: string | null;
  runId: string | null;
  uptimeSeconds: number | null;
}
export interface ClientsInfo {
  connectedClients: number | null;
  blockedClients: number | null;
  maxClients: number | null;
}
export interface MemoryInfo {
  usedMemoryBytes: number | null;
  usedMemoryRssBytes: number | null;
  /** 0 in INFO means "no limit"; kept as reported here. */
  maxMemoryBytes: number | null;
  maxMemoryPolicy: string | null;
  fragmentationRatio: number | null;
}
export interface StatsInfo {
  totalCommandsProcessed: number | null;
  keyspaceHits: number | null;
  keyspaceMisses: number | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  rejectedConnections: number | null;
}
export interface ReplicationInfo {
  role: string | null;
  connectedReplicas: number | null;
}
export interface KeyspaceInfo {
  databases: Record<string, { keys: number; expires: number }>;
  totalKeys: number;
}

export interface RedisInfo {
  server: ServerInfo | null;
  clients: ClientsInfo | null;
  memory: MemoryInfo | null;
  stats: StatsInfo | null;
  replication: ReplicationInfo | null;
  keyspace: KeyspaceInfo | null;
}

/** `key:value` lines of one INFO reply, grouped by `# Section` header (lower-cased). */
export function infoFields(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim().toLowerCase();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // Some servers omit headers; such fields land in an anonymous section.
    if (!current) {
      current = sections.get('') ?? new Map();
      sections.set('', current);
    }
    current.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return sections;
}

function num(fields: Map<string, string>, key: string): number | null {
  const v = fields.get(key);
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
function int(fields: Map<string, string>, key: string): number | null {
  const n = num(fields, key);
  return n === null ? null : Math.trunc(n);
}
function str(fields: Map<string, string>, key: string): string | null {
  const v = fields.get(key);
  return v === undefined || v === '' ? null : v;
}

/** The fields of `name` in a reply, or null when the server sent nothing for it. */
function sectionOf(text: string | null, name: InfoSectionName, parsed: Map<string, Map<string, Map<string, string>>>): Map<string, string> | null {
  if (text === null) return null;
  // One reply holding several sections (INFO all) is split once, not once per section.
  let all = parsed.get(text);
  if (!all) {
    all = infoFields(text);
    parsed.set(text, all);
  }
  const fields = all.get(name) ?? (all.size === 1 && all.has('') ? all.get('')! : null);
  // Keyspace is legitimately empty on a server with no keys: a header with no lines is known.
  if (fields === null && name === 'keyspace' && /^#\s*keyspace\s*$/im.test(text)) return new Map();
  if (fields === null || (fields.size === 0 && name !== 'keyspace')) return null;
  return fields;
}

function parseServer(f: Map<string, string>): ServerInfo {
  return { version: str(f, 'redis_version'), mode: str(f, 'redis_mode'), runId: str(f, 'run_id'), uptimeSeconds: int(f, 'uptime_in_seconds') };
}
function parseClients(f: Map<string, string>): ClientsInfo {
  return { connectedClients: int(f, 'connected_clients'), blockedClients: int(f, 'blocked_clients'), maxClients: int(f, 'maxclients') };
}
function parseMemory(f: Map<string, string>): MemoryInfo {
  return {
    usedMemoryBytes: num(f, 'used_memory'),
    usedMemoryRssBytes: num(f, 'used_memory_rss'),
    maxMemoryBytes: num(f, 'maxmemory'),
    maxMemoryPolicy: str(f, 'maxmemory_policy'),
    fragmentationRatio: num(f, 'mem_fragmentation_ratio'),
  };
}
function parseStats(f: Map<string, string>): StatsInfo {
  return {
    totalCommandsProcessed: int(f, 'total_commands_processed'),
    keyspaceHits: int(f, 'keyspace_hits'),
    keyspaceMisses: int(f, 'keyspace_misses'),
    evictedKeys: int(f, 'evicted_keys'),
    expiredKeys: int(f, 'expired_keys'),
    rejectedConnections: int(f, 'rejected_connections'),
  };
}
function parseReplication(f: Map<string, string>): ReplicationInfo {
  return { role: str(f, 'role'), connectedReplicas: int(f, 'connected_slaves') };
}
function parseKeyspace(f: Map<string, string>): KeyspaceInfo {
  const databases: KeyspaceInfo['databases'] = {};
  let totalKeys = 0;
  for (const [db, value] of f) {
    if (!/^db\d+$/.test(db)) continue;
    const parts = Object.fromEntries(value.split(',').map((p) => p.split('=') as [string, string]));
    const keys = Number(parts.keys ?? 0);
    const expires = Number(parts.expires ?? 0);
    if (!Number.isFinite(keys)) continue;
    databases[db] = { keys, expires: Number.isFinite(expires) ? expires : 0 };
    totalKeys += keys;
  }
  return { databases, totalKeys };
}

/**
 * Builds the typed view from one reply per section (`null` where the request failed or was
 * refused). A reply may also hold several sections (`INFO all`): each is looked up by header.
 */
export function parseInfo(replies: Partial<Record<InfoSectionName, string | null>>): RedisInfo {
  const parsed = new Map<string, Map<string, Map<string, string>>>();
  const read = <T>(name: InfoSectionName, parse: (f: Map<string, string>) => T): T | null => {
    const fields = sectionOf(replies[name] ?? null, name, parsed);
    return fields ? parse(fields) : null;
  };
  return {
    server: read('server', parseServer),
    clients: read('clients', parseClients),
    memory: read('memory', parseMemory),
    stats: read('stats', parseStats),
    replication: read('replication', parseReplication),
    keyspace: read('keyspace', parseKeyspace),
  };
}

export function unknownSections(info: RedisInfo): InfoSectionName[] {
  return INFO_SECTIONS.filter((s) => info[s] === null);
}
