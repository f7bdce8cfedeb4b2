/**
 * Masks secrets in SQL text read from pg_stat_activity before it leaves the engine: the literal
 * after PASSWORD (CREATE/ALTER ROLE), string literals assigned to secret-looking names
 * (`SET app.api_token = '…'`, `password_hash = '…'`, `set_config('app.secret', '…', …)`),
 * `password=` inside connection strings, and URL passwords. Over-masks rather than leaks; a
 * literal cut off by truncation is masked to the end of the text.
 */
import { scrubMessage } from './redact';

const MASK = "'*****'";
/** A single-quoted literal, optionally E'' (backslash escapes), possibly cut off at the end. */
const LITERAL = String.raw`(?:[eE]'(?:[^'\\]|\\.|'')*(?:'|$)|'(?:[^']|'')*(?:'|$)|\$([A-Za-z_]*)\$[\s\S]*?(?:\$\2\$|$))`;
const SECRET_NAME = String.raw`(?:password|passwd|secret|token|key|credential)`;

const AFTER_PASSWORD = new RegExp(String.raw`(\bPASSWORD\s+)${LITERAL}`, 'gi');
/** name = 'x', name := 'x', name TO 'x', "name" = 'x'; the name contains a secret word. */
const ASSIGNED = new RegExp(String.raw`((?:"[^"]*${SECRET_NAME}[^"]*"|[\w.]*${SECRET_NAME}[\w.]*)\s*(?:=|:=|\bTO\b)\s*)${LITERAL}`, 'gi');
/** set_config('app.secret_x', 'value', …) */
const SET_CONFIG = new RegExp(String.raw`(\bset_config\s*\(\s*'[^']*${SECRET_NAME}[^']*'\s*,\s*)${LITERAL}`, 'gi');
/** password=value inside a libpq keyword/value connection string. */
const CONNINFO_PASSWORD = /(\bpassword\s*=\s*)(?!'\*\*\*\*\*')[^\s']+/gi;

export function maskSqlSecrets(sql: string): string {
  return scrubMessage(sql)
    .replace(AFTER_PASSWORD, (_m, head: string) => `${head}${MASK}`)
    .replace(ASSIGNED, (_m, head: string) => `${head}${MASK}`)
    .replace(SET_CONFIG, (_m, head: string) => `${head}${MASK}`)
    .replace(CONNINFO_PASSWORD, (_m, head: string) => `${head}*****`);
}
