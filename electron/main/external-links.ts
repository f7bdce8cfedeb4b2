/**
 * The one place the app hands a URL to the operating system: only http(s), without
 * credentials, parsed (never a raw string), so a page cannot open file://, smb://, custom
 * protocol handlers or `javascript:` through the shell (Electron security checklist 14).
 */
import { shell } from 'electron';

/** The URL to open in the user's browser, or null when it must not be opened. */
function externalWebUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/** Opens http(s) links in the default browser; anything else is dropped. True when opened. */
export function openExternalLink(raw: string): boolean {
  const url = externalWebUrl(raw);
  if (!url) return false;
  void shell.openExternal(url).catch(() => undefined);
  return true;
}
