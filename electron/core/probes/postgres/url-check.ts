/**
 * A postgres:// URL is checked whole before the driver sees it: the driver decodes it lazily
 * (a malformed %-escape throws URIError) and reads sslcert/sslkey/sslrootcert files while
 * parsing (a missing file throws ENOENT, a FIFO blocks forever). Each is the person's input
 * to fix, so each is an InputError that names the part.
 */
import { InputError } from '../../util/errors';
import { FileRefusedError, readRegularFile } from '../../util/read-file';

export class BadPostgresUrlError extends InputError {
  override readonly code = 'bad_url';
}

const SSL_FILE_PARAMS = ['sslcert', 'sslkey', 'sslrootcert'] as const;
const MAX_SSL_FILE_BYTES = 1024 * 1024;

export function checkPostgresUrl(raw: string): void {
  if (!/^postgres(ql)?:\/\//i.test(raw)) throw new BadPostgresUrlError('expected a URL starting with postgres:// or postgresql://');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadPostgresUrlError('not a valid URL');
  }
  if (!url.hostname && !url.searchParams.get('host')) throw new BadPostgresUrlError('the URL names no host: write postgres://user@host:5432/database');
  const parts: [string, string][] = [['database name', url.pathname.slice(1)], ['user name', url.username], ['password', url.password]];
  for (const [part, value] of parts) {
    try {
      decodeURIComponent(value);
    } catch {
      throw new BadPostgresUrlError(`the ${part} in the URL has a malformed %-escape (a literal % is written %25)`);
    }
  }
  for (const param of SSL_FILE_PARAMS) {
    const path = url.searchParams.get(param);
    if (path === null) continue;
    try {
      readRegularFile(path, MAX_SSL_FILE_BYTES);
    } catch (err) {
      if (err instanceof FileRefusedError) throw new BadPostgresUrlError(`${param}=${path}: the file ${err.reason}`);
      throw err;
    }
  }
}
