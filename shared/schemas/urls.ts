import { z } from 'zod';

/**
 * Whether a connection URL parses, and if not, what to fix. A malformed URL is a form error the
 * moment it is entered, never a target reported "down — retrying" (the WHATWG parser is the same
 * in the browser, the engine and the CLI). The message never repeats the URL: it holds a password.
 */
function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#]*)/i.exec(raw)?.[1];
    if (port !== undefined && !/^\d+$/.test(port)) return 'is not a valid URL: the port (after the host\'s colon) is not a number';
    if (port !== undefined && Number(port) > 65_535) return 'is not a valid URL: the port is out of range (1–65535)';
    return 'is not a valid URL: check the host, port and any special characters in the password (percent-encode @ / : # ?)';
  }
  if (!url.hostname && !url.searchParams.has('host')) return 'is not a valid URL: it has no host';
  return null;
}

/** The longest URL any face accepts; a longer one is refused before it is parsed or scanned. */
export const MAX_URL_CHARS = 2000;

const connectionUrl = (schemes: RegExp, expected: string) =>
  z
    .string()
    .min(1, 'is empty')
    .max(MAX_URL_CHARS, `is longer than ${MAX_URL_CHARS} characters`)
    .superRefine((u, ctx) => {
      if (!schemes.test(u)) ctx.addIssue({ code: 'custom', message: `must start with ${expected}` });
      else {
        const problem = urlProblem(u);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    });

/** A Postgres connection URL as the faces may send it (checked here, masked everywhere else). */
export const PostgresUrl = connectionUrl(/^postgres(ql)?:\/\//i, 'postgres:// or postgresql://');

/** A Redis connection URL (redis:// or rediss:// for TLS). */
export const RedisUrl = connectionUrl(/^rediss?:\/\//i, 'redis:// or rediss://');

/** An HTTP(S) URL of an API or one of its endpoints. */
export const HttpUrl = connectionUrl(/^https?:\/\//i, 'http:// or https://');
