/** A redis:// or rediss:// URL read into what the client connects with (no client library here: the CLI checks flags with it). */
export function parseRedisUrl(raw: string): { host: string; port: number; username?: string; password?: string; tls: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('not a valid URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('expected a URL starting with redis:// or rediss://');
  if (!url.hostname) throw new Error('the URL has no host');
  const port = url.port ? Number(url.port) : 6379;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, username: username || undefined, password, tls: url.protocol === 'rediss:' };
}
