/**
 * Which names carry secrets: query parameters, `key=value` pairs and JSON fields. Two degrees:
 * the masker hides anything that might be a secret (over-masking costs nothing), while the
 * profile refusal names only parameters that are credentials (refusing `sslkey=/path/client.key`
 * would be wrong: it is a file path).
 */

/** Broad, for masking: `pass`, `pwd`, `secret`, `token`, `key`, `credential`, `auth`, `sig`… anywhere in the name. */
const LOOKS_SECRET = /pass|pwd|secret|token|key|credential|auth|sig|cookie|session|dsn/i;

export function looksSecretName(name: string): boolean {
  return name.length <= 128 && LOOKS_SECRET.test(name);
}

/** Exact credential parameter names (after lower-casing and `-` → `_`). */
const CREDENTIAL_PARAMS = new Set([
  'password', 'pass', 'passwd', 'pwd', 'sslpassword', 'token', 'access_token', 'refresh_token', 'id_token', 'auth_token',
  'api_key', 'apikey', 'key', 'secret', 'client_secret', 'secret_key', 'access_key', 'private_key', 'credential',
  'credentials', 'auth', 'authorization', 'signature', 'sig', 'x_api_key', 'session', 'sessionid', 'session_id',
]);
/** Word parts that make any name a credential: `aws_secret_access_key`, `x-amz-security-token`, `db_password`. */
const CREDENTIAL_PARTS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials']);

/** Strict, for refusing a profile: the parameter names a credential, not merely contains "key". */
export function isCredentialParam(name: string): boolean {
  const n = name.toLowerCase().replace(/-/g, '_');
  if (n.length > 128) return true;
  if (CREDENTIAL_PARAMS.has(n)) return true;
  return n.split(/[_.]/).some((part) => CREDENTIAL_PARTS.has(part));
}
