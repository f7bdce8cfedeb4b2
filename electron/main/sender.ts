/** Kept free of the 'electron' import so it can be unit-tested in plain Node. */
export interface SenderLike {
  senderFrame: { url: string; parent: unknown } | null;
}

/** The page without its #route and ?query: what identifies which document a frame shows. */
function documentUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  url.search = '';
  return url.href;
}

/**
 * True when the frame that sent an IPC message is the app's own top-level page: exactly the
 * renderer entry (`rendererUrl`, app://preflight/index.html), not any other document that
 * might end up in a frame.
 */
export function isTrustedSender(event: SenderLike, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    return documentUrl(frame.url) === documentUrl(rendererUrl);
  } catch {
    return false;
  }
}
