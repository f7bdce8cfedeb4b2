/**
 * Electron's security checklist, applied once for the whole app rather than per window:
 * every web contents ever created (windows, frames, anything a bug might open) may not
 * navigate, open windows or attach webviews; the default session denies every permission and
 * sends the CSP. The `app://` scheme is registered here, before ready, as the renderer's origin.
 */
import { app, protocol, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { APP_SCHEME, createAppProtocolHandler } from './app-protocol-handler';
import { openExternalLink } from './external-links';

/** Must run before `ready`: the scheme's privileges are fixed at startup. */
export function registerAppSchemeBeforeReady(): void {
  // standard + secure: a real origin for 'self' in the CSP and a secure context; no bypassCSP,
  // no corsEnabled (nothing else fetches from it).
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.enableSandbox();
}

function lockDown(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // In-page (hash) routing is not a navigation; anything else leaving the page is refused,
  // and an http(s) link goes to the user's browser instead.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalLink(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url);
    return { action: 'deny' };
  });
}

/** Before ready: every web contents is locked down the moment it exists. */
export function lockDownEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
}

/** After ready: serve the renderer build on app://, deny permissions, send the CSP. */
export function hardenDefaultSession(rendererRoot: string): void {
  const ses = session.defaultSession;
  ses.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot, CONTENT_SECURITY_POLICY));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
