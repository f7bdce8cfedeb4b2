/** Kept free of the 'electron' import so it can be unit-tested in plain Node. */
export interface SenderLike {
  senderFrame: { url: string; parent: unknown } | null;
}

/** True when the frame that sent an IPC message is the app's own top-level page. */
export function isTrustedSender(event: SenderLike, appOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' ? appOrigin === 'file://' : url.origin === appOrigin;
  } catch {
    return false;
  }
}
