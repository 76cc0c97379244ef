// The shop's PostgreSQL database as the screens see it (issue 16): the
// setting (never the password itself) and the sync's state.

/** The "Shop database" setting. The password is kept apart from the URL and never comes back to a screen. */
export interface ShopDatabaseSettings {
  /** postgres://user@host:port/database, without its password; null: this till syncs to no shop database. */
  url: string | null;
  /** Whether a password is saved for it. */
  passwordSaved: boolean;
  /** Whether the saved password is encrypted with the system's key store (Electron's safeStorage); false: kept in the ledger file as is. */
  passwordEncrypted: boolean;
  /**
   * This till hosts the shop database (its own PostgreSQL server on the
   * shop's network, TLS and a generated password), on this port; `url` is
   * then its own loopback address. Null: it does not.
   */
  host: { port: number } | null;
}

/** The hosting till's server as the owner sees it, with what the other tills type to join it. */
export interface ShopHostView {
  state: 'starting' | 'running' | 'error';
  /** Why it is not running, in words. */
  error: string | null;
  port: number;
  /** The address the other tills type as their shop database: this computer's network address, the port, and the certificate's fingerprint they check. Null until known. */
  joinUrl: string | null;
  /** The generated password the other tills type beside it. */
  password: string | null;
}

/** The sync's state for the status bar: off (no shop database), synced, n waiting, or an error with the reason (and n waiting). */
export type SyncStatusView =
  | { state: 'off' }
  | { state: 'synced' }
  | { state: 'waiting'; waiting: number }
  | { state: 'error'; error: string; waiting: number };

/** What a connection test found. */
export interface ShopDatabaseTest {
  /** The URL as shown (password hidden). */
  where: string;
  tls: boolean;
  /** The shop schema's version after connecting (Counter upgrades it on connect). */
  schema: number;
  /** How many tills have pushed to it so far. */
  tills: number;
}
