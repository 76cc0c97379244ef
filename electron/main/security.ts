import { dialog, session, shell, type BrowserWindow } from 'electron';
import { RENDERER_CSP } from '../shared/content-security-policy';
import { APP_ORIGIN } from './app-protocol';
import { decideExternalLink } from './external-links';

/**
 * Every guard on the window in one place: no navigation away from the app,
 * no new windows (allow-listed web links go to the system browser, any other
 * web link after the owner confirms), no <webview>, no permission prompts,
 * and the Content-Security-Policy on every response.
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
    void openLink(win, url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function openLink(win: BrowserWindow, url: string): Promise<void> {
  const decision = decideExternalLink(url);
  if (decision.action === 'refuse') return;
  if (decision.action === 'confirm') {
    const answer = await dialog.showMessageBox(win, {
      type: 'question',
      buttons: ['Cancel', 'Open in browser'],
      defaultId: 0,
      cancelId: 0,
      message: `Open ${decision.host} in your browser?`,
      detail: decision.url,
    });
    if (answer.response !== 1) return;
  }
  await shell.openExternal(decision.url);
}

/** Session-wide: deny every permission request and check, and send the CSP header. */
export function guardSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    // Only the app's own documents get the app's policy (app:// responses
    // also carry it from the protocol handler); the Code button's iframe
    // keeps the one its host sends.
    const own = details.url.startsWith(`${APP_ORIGIN}/`) || details.url.startsWith(process.env.ELECTRON_RENDERER_URL ?? '\0');
    callback({
      responseHeaders: own ? { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } : details.responseHeaders,
    });
  });
}
