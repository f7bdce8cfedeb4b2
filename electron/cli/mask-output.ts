/**
 * Masks secrets in anything the CLI itself prints about its arguments (commander's usage
 * errors quote the rejected value verbatim, and a rejected URL may carry a password).
 */
import { scrubMessage } from '../core/util/redact';

/** user:password@ without a scheme, as in a mistyped `--url app:pw@db/prod`. */
const BARE_USER_INFO = /^([^\s:/@]*):(.*)@([^@]*)$/s;

/** Returns the masked form of an argument that carries a credential, or null when it carries none. */
function maskedArgument(arg: string): string | null {
  const value = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
  const scrubbed = scrubMessage(value);
  if (scrubbed !== value) return scrubbed;
  // A URL with a scheme and no password carries no credential (scrubMessage already judged it).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  const bare = BARE_USER_INFO.exec(value);
  return bare ? `${bare[1]}:*****@${bare[3]}` : null;
}

/** Longer arguments are quoted back by their start and length only (a pasted file is not echoed whole). */
export const MAX_ECHOED_ARGUMENT_CHARS = 200;
const ECHOED_HEAD_CHARS = 60;

function shortened(text: string): string {
  return text.length <= MAX_ECHOED_ARGUMENT_CHARS ? text : `${text.slice(0, ECHOED_HEAD_CHARS)}… (${text.length} characters)`;
}

/**
 * A masker for one run: hides every credential-bearing argument of argv, then any URL password
 * left; an argument longer than MAX_ECHOED_ARGUMENT_CHARS is quoted by its start and length.
 */
export function outputMasker(argv: readonly string[]): (text: string) => string {
  const replacements: [string, string][] = [];
  for (const arg of argv) {
    const value = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    const masked = maskedArgument(arg);
    if (value.length === 0) continue;
    if (masked !== null) replacements.push([value, shortened(masked)]);
    else if (value.length > MAX_ECHOED_ARGUMENT_CHARS) replacements.push([value, shortened(value)]);
  }
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => scrubMessage(replacements.reduce((out, [raw, masked]) => out.split(raw).join(masked), text));
}
