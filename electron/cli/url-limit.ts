import { InvalidArgumentError } from 'commander';

/** The contract's limit for a URL (shared/schemas/urls.ts); a longer argument is refused before it is parsed or scanned. */
export const MAX_URL_CHARS = 2000;

export function checkUrlLength(value: string): void {
  if (value.length > MAX_URL_CHARS) throw new InvalidArgumentError(`a URL of ${value.length} characters; at most ${MAX_URL_CHARS} are accepted`);
}
