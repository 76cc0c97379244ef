import { session, shell, type BrowserWindow } from 'electron';
import { RENDERER_CSP } from '../shared/content-security-policy';
import { isExternalLink } from './external-links';

/**
 * Every guard on the window in one place: no navigation away from the app,
 * no new windows (http/https links go to the system browser), no <webview>,
 * no permission prompts, and the Content-Security-Policy on every response.
 */
export function guardWindow(win: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Session-wide: deny every permission request and check, and send the CSP header. */
export function guardSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    // Only the app's own documents get the app's policy; the Code button's
    // iframe keeps the one its host sends.
    const own = details.url.startsWith('file://') || details.url.startsWith(process.env.ELECTRON_RENDERER_URL ?? '\0');
    callback({
      responseHeaders: own ? { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } : details.responseHeaders,
    });
  });
}
