/**
 * Redaction of secrets in connection URLs and free text. Errs on the side of hiding too much:
 * a password is everything after the first colon of the user-info up to the LAST `@` of the
 * URL, because people type unescaped `@` and `/` into passwords.
 */
const MASK = '*****';

/** Query parameter names whose values are secrets (`?password=`, `&api_key=`, `sslpassword`, …). */
const SECRET_PARAM = /pass|secret|token|key|credential/i;

/** scheme://user:password@ — user may be empty; the password runs to the last `@` of the token. */
const USER_INFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s:/@'"]*):([^\s'"]*)@/gi;

/** ?name=value / &name=value where the name looks like a secret. */
const QUERY_PARAM = /([?&;])([^=\s&#?;'"]+)=([^\s&#;'"]*)/g;

function maskUserInfo(text: string): string {
  return text.replace(USER_INFO, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`);
}

function maskQueryParams(text: string): string {
  return text.replace(QUERY_PARAM, (m, sep: string, name: string) => (SECRET_PARAM.test(name) ? `${sep}${name}=${MASK}` : m));
}

/** Replaces the password in a connection URL so it can be shown, logged or sent to the UI. */
export function maskUrl(raw: string): string {
  const masked = maskQueryParams(maskUserInfo(raw));
  try {
    const url = new URL(masked);
    if (url.password) url.password = MASK;
    for (const key of [...url.searchParams.keys()]) {
      if (SECRET_PARAM.test(key)) url.searchParams.set(key, MASK);
    }
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Removes the password and secret query parameters of every URL in a message before it is shown. */
export function scrubMessage(message: string): string {
  return maskQueryParams(maskUserInfo(message));
}
