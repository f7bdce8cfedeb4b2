/**
 * The one way Preflight reads a file a person pointed it at (profile, expected indexes,
 * migration, env file): only a regular file, only up to a size limit, decided before a byte is
 * parsed. A FIFO would block the read forever, a directory fails with EISDIR, /dev/zero never
 * ends, and a huge profile exhausts the heap while being parsed.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from './errors';

/** Profiles and expected-index files: the StartInsight profile is ~20 KB, so 1 MiB is ample. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** One migration file. */
export const MAX_MIGRATION_BYTES = 4 * 1024 * 1024;
/** A backend .env file the static checks read. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

export class FileRefusedError extends InputError {
  override readonly code = 'file_refused';
  constructor(
    readonly path: string,
    /** Why, without the path: "is a directory, not a file". */
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Reads `path` as UTF-8 when it is a regular file of at most `maxBytes`; otherwise throws a
 * FileRefusedError saying what it is instead. Opened non-blocking, so a FIFO cannot hang the
 * open, and the size is checked on the opened file (no race with a swap after a stat).
 */
export function readRegularFile(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileRefusedError(path, code === 'ENOENT' ? 'does not exist (ENOENT)' : code === 'EACCES' ? 'cannot be read: permission denied (EACCES)' : `cannot be read (${code ?? (err as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefusedError(path, `is ${kindOf(st)}, not a file: only regular files are read`);
    const over = () => new FileRefusedError(path, `is over the ${formatBytes(maxBytes)} limit${st.size > maxBytes ? ` (${formatBytes(st.size)})` : ''}: it is refused before parsing`);
    if (st.size > maxBytes) throw over();
    // Read at most one byte past the limit: a file that grew since fstat is refused too.
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    while (length <= maxBytes) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw over();
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
