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

/** A masker for one run: hides every credential-bearing argument of argv, then any URL password left. */
export function outputMasker(argv: readonly string[]): (text: string) => string {
  const replacements: [string, string][] = [];
  for (const arg of argv) {
    const value = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    const masked = maskedArgument(arg);
    if (masked !== null && value.length > 0) replacements.push([value, masked]);
  }
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => scrubMessage(replacements.reduce((out, [raw, masked]) => out.split(raw).join(masked), text));
}
