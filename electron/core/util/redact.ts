/** Replaces the password in a connection URL so it can be shown, logged or sent to the UI. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '*****';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, '*****');
    }
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Removes any secret-looking URL from a message before it is shown. */
export function scrubMessage(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+):([^\s/@]+)@/gi, '$1$2:*****@');
}
