import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/contract';
import type { ShopHostView } from '../../shared/domain/shop-database';
import { settingsAuditEntry, type SettingsChangeBy } from '../settings/settings-audit';
import { SettingsError, type SettingsStore } from '../settings/settings-store';
import { generateShopPassword, startShopHost, type ShopHost, type StartShopHostOptions } from '../shop-host';
import type { Logger } from './logger';
import type { Redactor } from './redactor';

/**
 * This till hosting the shop database (issue 16), between the setting and
 * the server: `set(port)` starts PostgreSQL (shop-host/) and, once it runs,
 * makes its loopback address and the generated password this till's own
 * shop database, so the sync worker and the shop view follow it like any
 * other; `set(null)` stops it. At every start of Counter, `resume()`
 * brings the server back when the setting says this till hosts. The data
 * stays in the till's data directory whatever happens.
 */
export interface ShopHosting {
  resume(): Promise<void>;
  set(port: number | null, by: SettingsChangeBy): Promise<Settings>;
  /** The server's state and what the other tills type; null when this till hosts nothing. */
  view(): ShopHostView | null;
  close(): Promise<void>;
}

export interface ShopHostingOptions {
  /** The till's data directory: the server's files go in its `shop-database` folder. */
  dataDir: string;
  settings: SettingsStore;
  /** Moves the sync worker (and the shop view) to the shop database the settings name now. */
  followSetting: () => Promise<void>;
  redactor: Redactor;
  logger: Logger;
  /** Where PostgreSQL listens: every interface in the shop; tests pass 127.0.0.1. */
  listen?: string;
  /** How long after a crash the server is started again. */
  restartAfterMs?: number;
}

/** The address this till's own sync uses, without its password (the settings keep that apart). */
function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

export function createShopHosting(options: ShopHostingOptions): ShopHosting {
  const { settings, logger } = options;
  const log = logger.child('shop-hosting');
  const dir = join(options.dataDir, 'shop-database');
  let server: ShopHost | null = null;
  let state: ShopHostView['state'] = 'starting';
  let error: string | null = null;
  let closed = false;
  let restartTimer: NodeJS.Timeout | null = null;
  /** One start or stop at a time. */
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step, step);
    queue = run.catch(() => {});
    return run;
  };

  const start = async (port: number, password: string): Promise<ShopHost> => {
    state = 'starting';
    error = null;
    // As root (a CI machine, never the app), PostgreSQL runs as a user of its own, which must pass
    // through the 0700 data directory to its folder: passable (0711), still not listable, every file 0600.
    if (process.getuid?.() === 0) chmodSync(options.dataDir, 0o711);
    options.redactor.add(password);
    const startOptions: StartShopHostOptions = {
      dir,
      port,
      password,
      logger,
      ...(options.listen ? { listen: options.listen } : {}),
      onExit: (code, signal) => {
        if (closed || server !== started) return;
        server = null;
        state = 'error';
        error = `PostgreSQL stopped unexpectedly (${signal ?? `exit ${code}`}); starting it again.`;
        log.error('the hosted shop database stopped unexpectedly', { code, signal });
        restartTimer = setTimeout(() => void resume(), options.restartAfterMs ?? 5_000);
        restartTimer.unref();
      },
    };
    let started: ShopHost | null = null;
    try {
      started = await startShopHost(startOptions);
    } catch (e) {
      state = 'error';
      error = (e as Error).message;
      throw e;
    }
    server = started;
    state = 'running';
    log.info('hosting the shop database', { port, fingerprint: started.fingerprint });
    return started;
  };

  const stopServer = async () => {
    const old = server;
    server = null;
    if (old) await old.stop();
  };

  const resume = () =>
    serially(async () => {
      const host = settings.get().shopDatabase.host;
      if (closed || !host || server) return;
      const saved = settings.shopDatabasePassword();
      // Saved encrypted with a key this computer no longer has: a new one, which the other tills must be given again.
      const password = saved ?? generateShopPassword();
      if (saved === null) log.warn('the hosted shop database password could not be read: a new one was made; give it to the other tills again');
      try {
        const started = await start(host.port, password);
        // The settings already name this server and its password (the caller then follows them); only a new password is saved.
        if (saved === null) {
          settings.setShopHost(host, { url: withoutPassword(started.localUrl), password });
          await options.followSetting();
        }
      } catch (e) {
        log.error('the hosted shop database did not start', { port: host.port, error: (e as Error).message });
      }
    });

  return {
    resume,
    set: (port, by) =>
      serially(async () => {
        const now = settings.get().shopDatabase.host;
        const audit = (from: Parameters<typeof settingsAuditEntry>[0], to: Parameters<typeof settingsAuditEntry>[1]) => settingsAuditEntry(from, to, by);
        if (port === null) {
          if (!now) return settings.get();
          const after = settings.setShopHost(null, { url: null, password: null }, audit);
          // The worker lets go of the server before it stops.
          await options.followSetting();
          await stopServer();
          return after;
        }
        if (now?.port === port && server) return settings.get();
        // Hosting already (another port, or a server that stopped): the same password, so the other tills keep theirs.
        const password = (now ? settings.shopDatabasePassword() : null) ?? generateShopPassword();
        await stopServer();
        let started: ShopHost;
        try {
          started = await start(port, password);
        } catch (e) {
          throw new SettingsError({ 'shopDatabase.host': (e as Error).message });
        }
        const after = settings.setShopHost({ port }, { url: withoutPassword(started.localUrl), password }, audit);
        await options.followSetting();
        return after;
      }),
    view() {
      const host = settings.get().shopDatabase.host;
      if (!host) return null;
      return {
        state: server ? 'running' : state,
        error: server ? null : error,
        port: host.port,
        joinUrl: server ? server.joinUrl() : null,
        password: settings.shopDatabasePassword(),
      };
    },
    async close() {
      closed = true;
      if (restartTimer) clearTimeout(restartTimer);
      await queue;
      await stopServer();
    },
  };
}
