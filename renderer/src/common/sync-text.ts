// The sync to the shop database in words (issue 16): the status bar and the
// Settings section say the same thing.
import type { ShopDatabaseTest, SyncStatusView } from '../../../electron/shared/contract';

export interface SyncText {
  text: string;
  tone: 'ok' | 'warn' | 'bad';
}

/** "synced", "3 waiting", or the error in words ("3 waiting: <why>"); null when no shop database is set (the status bar then shows nothing). */
export function syncText(sync: SyncStatusView): SyncText | null {
  switch (sync.state) {
    case 'off':
      return null;
    case 'synced':
      return { text: 'synced', tone: 'ok' };
    case 'waiting':
      return { text: `${sync.waiting} waiting`, tone: 'warn' };
    case 'error':
      // The count first: a long reason is cut in the status bar, the count never is.
      return { text: sync.waiting > 0 ? `${sync.waiting} waiting: ${sync.error}` : sync.error, tone: 'bad' };
  }
}

/** "Connected: schema 3, 2 tills, TLS on". */
export function shopDatabaseTestText(test: ShopDatabaseTest): string {
  return `Connected: schema ${test.schema}, ${test.tills} ${test.tills === 1 ? 'till' : 'tills'}, TLS ${test.tls ? 'on' : 'off'}`;
}
