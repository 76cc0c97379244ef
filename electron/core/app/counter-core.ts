import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppStatus, CounterEvent, Settings } from '../../shared/contract';
import type { RailHealth } from '../../shared/domain/rail';
import type { Mode } from '../../shared/domain/sale';
import type { ShopDatabaseTest } from '../../shared/domain/shop-database';
import { createLedger, type Ledger, type SalesQueries } from '../ledger/ledger';
import { createPaymentsService, type PaymentsService } from '../payments/payments-service';
import type { ReconcilerTiming } from '../payments/reconciler';
import { webhookUrlSource } from '../payments/webhook-url-source';
import { createCodeRail } from '../rails/code-rail';
import type { PaymentRail } from '../rails/payment-rail';
import { createSandboxRail } from '../rails/sandbox-rail';
import { loadOrCreateSandboxKey } from '../sandbox/sandbox-key';
import { sandboxDbPath } from '../sandbox/sandbox-db';
import { createSandboxSequencer, type SandboxSequencer } from '../sandbox/sandbox-sequencer';
import { createNetworkTransport, type NetworkTiming } from '../printing/network-transport';
import { createPrintQueue, type PrintQueue } from '../printing/print-queue';
import { PrinterError, type PrinterTransport } from '../printing/printer-transport';
import { createSettingsStore, resolveShopDatabase, SettingsError, type SettingsStore, type ShopDatabaseChoice } from '../settings/settings-store';
import type { SecretBox } from '../settings/secret-box';
import { checkShopDatabase, urlWithPassword } from '../settings/shop-database-check';
import { settingsAuditEntry, type SettingsChangeBy } from '../settings/settings-audit';
import { createCustomerDisplay, type CustomerDisplay } from '../customer/customer-display';
import { createTunnelSupervisor, type TunnelSupervisor, type TunnelSupervisorOptions } from '../tunnel/tunnel-supervisor';
import { CODE_PRODUCTION_WEBHOOK_KEY, ed25519PublicKeyFromBase58 } from '../webhook/code-keys';
import { createWebhookHandler } from '../webhook/webhook-handler';
import { createWebhookListener, type WebhookListener } from '../webhook/webhook-listener';
import { createAppStatus } from './app-status';
import { createEventBus } from './event-bus';
import { silentLogger, type Logger } from './logger';
import { createRedactor, type Redactor } from './redactor';
import { createTillFocus, type TillFocus } from './till-focus';
import { createPeopleService, type PeopleService } from '../people/people-service';
import { createTillSession, type TillSession } from '../people/till-session';
import { createRefundService, type RefundService } from '../refunds/refund-service';
import { createShiftService, type ShiftService } from '../shifts/shift-service';
import { connectShopDatabase } from '../shop-db/shop-database';
import type { ShopReports } from '../shop-db/shop-reports';
import { createShopViewSource } from '../shop-db/shop-view-source';
import { createShopHosting, type ShopHosting } from './shop-hosting';
import { createSyncWorker, type SyncStatus, type SyncTiming, type SyncWorker } from '../sync/sync-worker';

/**
 * The composition root: everything the main process runs, wired once and
 * started and stopped in order. Electron's main process and the browser
 * preview both start it; neither adds logic of its own, and no logic lives
 * here beyond the wiring.
 */

export interface CounterCoreOptions {
  /** Electron's userData in the app; any directory in the preview and tests. */
  dataDir: string;
  logger?: Logger;
  /** Secrets are added to it as they appear; the host's log file uses the same one. */
  redactor?: Redactor;
  /** Where the log file is, for the status bar and a support call. */
  logFile?: string | null;
  timeZone?: string;
  /** The cloudflared shipped with the installer (process.resourcesPath in the app). */
  bundledCloudflared?: string;
  /** Test and preview hooks into the supervisor (stand-in binary, timings, fetch). */
  tunnel?: Partial<Pick<TunnelSupervisorOptions, 'binary' | 'fetchImpl' | 'timing' | 'backoff' | 'spawn'>>;
  /** Sandbox hooks: webhook timing, and the per-payment maximum it enforces (default: Code's table). */
  sandbox?: { timeScale?: number; webhookTimeoutMs?: number; maximumFor?: (currency: string) => number | null };
  /**
   * The payment rails: `liveEndpoint` points the live rail at another
   * sequencer (tests use a second sandbox; default Code's production),
   * call and health-check timeouts, and how often the app mode's rail is
   * checked (default hourly).
   */
  rails?: { liveEndpoint?: string; timeoutMs?: number; healthTimeoutMs?: number; healthIntervalMs?: number };
  reconcilerTiming?: Partial<ReconcilerTiming>;
  /** How long the customer display shows PAID before going back to idle (default 10 s). */
  customerPaidShownMs?: number;
  /** How often the listener checks its own health route (default 15 s). */
  listenerCheckMs?: number;
  /**
   * The receipt printer's ways out: the system printer is Electron's (the
   * app passes it; without it a system printer is refused, as in the
   * preview); tests may replace either transport, set the network's
   * timeouts, or leave the queue unstarted (jobs wait, nothing is sent:
   * a quit between a payment and its receipt).
   */
  printing?: {
    systemTransport?: PrinterTransport;
    networkTransport?: PrinterTransport;
    networkTiming?: Partial<NetworkTiming>;
    /** How long a quit waits for the job being sent (default 2 s). */
    stopWaitMs?: number;
    /** Start the queue (default true). */
    start?: boolean;
  };
  /**
   * The shop's PostgreSQL database (issue 16): when given, the sync worker
   * sends this till's outbox there, batch after batch, in the background.
   * For tests and the bench: when given, the "Shop database" setting is
   * ignored (saving it still checks and stores it, but this worker stays).
   * Without it the setting decides; with neither the outbox simply waits.
   */
  shopDatabase?: {
    /** postgres:// or postgresql://; TLS unless the host is this machine. */
    url: string;
    /** Outbox rows per batch (default 500). */
    batchRows?: number;
    timing?: Partial<SyncTiming>;
    /** How long connecting may take before the attempt counts as failed (default 10 s). */
    connectTimeoutMs?: number;
  };
  /**
   * Keeps the shop database's password encrypted at rest: the app passes
   * Electron's safeStorage; without it (the preview, tests) the password is
   * stored as typed, and Settings says so.
   */
  secretBox?: SecretBox;
  /** How long a connection test (and the check before saving a shop database) may take to connect (default 10 s). */
  shopDatabaseConnectTimeoutMs?: number;
  /** The timing of the worker the "Shop database" setting starts (tests shorten its rests). */
  syncTiming?: Partial<SyncTiming>;
  /** Where a hosted shop database listens (default every interface, for the shop's other tills); tests pass 127.0.0.1. */
  shopHostListen?: string;
}

/** The shop database part of a settings patch, just enough to check it before the store does the rest. */
const shopDatabasePatch = z.object({ url: z.string().nullable(), password: z.string().nullable().optional() });

/** Where a system printer goes when the host has none (the browser preview): refused with the reason. */
const NO_SYSTEM_PRINTER: PrinterTransport = {
  send: () =>
    Promise.reject(new PrinterError('printer-unsupported', 'System printers print from the Counter app; the browser preview cannot.')),
};

export interface CounterCore {
  ledger: Ledger;
  reports: SalesQueries;
  settings: SettingsStore;
  sandbox: SandboxSequencer;
  listener: WebhookListener;
  tunnel: TunnelSupervisor;
  payments: PaymentsService;
  /** Code (live) and the sandbox sequencer (sandbox) behind one interface; a sale uses its own mode's. */
  rails: Record<Mode, PaymentRail>;
  /** Asks the rail of the app's mode now whether it takes payment requests. */
  checkRail(): Promise<RailHealth>;
  /** The sale on the till's screen. */
  tillFocus: TillFocus;
  /** What the customer display shows (it follows the till's sale), and the tip it may choose. */
  customerDisplay: Pick<CustomerDisplay, 'view' | 'onView' | 'chooseTip'>;
  /** The receipt printer's queue: receipts, reports, test prints, the cash drawer. */
  printing: Omit<PrintQueue, 'start' | 'stop'>;
  /** The owner, managers and cashiers, and their PINs. */
  people: PeopleService;
  /** Who is signed in on this till, and the idle lock. */
  session: TillSession;
  /** Shifts and their Z-reports. */
  shifts: ShiftService;
  /** Refunds against paid sales, and voids. */
  refunds: RefundService;
  /** The sync to the shop database now: null when none is set (the `shopDatabase` option or the setting). */
  readonly sync: { status(): SyncStatus } | null;
  /** This till hosting the shop database for the others: start, stop, and what they type to join. */
  shopHosting: Pick<ShopHosting, 'set' | 'view'>;
  /** The owner's shop view: every till's sales, read from the shop database (ShopDbError 'not-set' without one). */
  shopView(): Promise<ShopReports>;
  /** Connects to a shop database (the saved password when none is given) and says what is there; saves nothing. */
  testShopDatabase(args: { url: string; password?: string | null | undefined }): Promise<ShopDatabaseTest>;
  redactor: Redactor;
  logger: Logger;
  status(): AppStatus;
  /** Changes the settings and records who did it in the audit log (tests and start-up may leave `by` out: nobody named). */
  updateSettings(patch: unknown, by?: SettingsChangeBy): Promise<Settings>;
  installCloudflared(): Promise<string>;
  /** Every pushed event, secrets redacted, for the hosts to forward to the screens. */
  onEvent(listener: (event: CounterEvent) => void): () => void;
  /** Pushes an event to every listener (the hosts use it for export progress). */
  publish(event: CounterEvent): void;
  close(): Promise<void>;
}

export async function createCounterCore(options: CounterCoreOptions): Promise<CounterCore> {
  const logger = options.logger ?? silentLogger;
  const log = logger.child('counter-core');
  const redactor = options.redactor ?? createRedactor();
  const bus = createEventBus(logger);

  // 1. The ledger and the settings it holds.
  const ledger = createLedger({ dir: options.dataDir, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  const cleanups: Array<() => Promise<void> | void> = [() => ledger.close()];
  try {
    const settings = createSettingsStore(ledger, options.secretBox ? { secretBox: options.secretBox } : {});
    redactor.add(settings.secrets.webhookPathSecret);
    redactor.add(settings.shopDatabasePassword());
    const initialTunnel = settings.tunnel();
    if (initialTunnel.kind === 'named') redactor.add(initialTunnel.token);

    // 2. The sandbox sequencer runs whatever the mode, so switching to sandbox is instant.
    const sandboxKey = loadOrCreateSandboxKey(options.dataDir);
    const sandbox = await createSandboxSequencer({
      signingKey: sandboxKey.privateKey,
      // Its own file, not the ledger: it stands in for Code's servers, and closing the core closes it.
      file: sandboxDbPath(options.dataDir),
      // Webhooks it still owes from before a restart wait until the listener is up (step 3).
      resumeDeliveries: false,
      ...(options.sandbox?.timeScale ? { timeScale: options.sandbox.timeScale } : {}),
      ...(options.sandbox?.webhookTimeoutMs ? { webhookTimeoutMs: options.sandbox.webhookTimeoutMs } : {}),
      ...(options.sandbox?.maximumFor ? { maximumFor: options.sandbox.maximumFor } : {}),
      logger,
    });
    sandbox.setPaymentService(settings.get().sandboxPaymentService);
    cleanups.unshift(() => sandbox.close());

    // 3. The payment rails, payments, then the listener that feeds it webhooks.
    const railTiming = {
      ...(options.rails?.timeoutMs ? { timeoutMs: options.rails.timeoutMs } : {}),
      ...(options.rails?.healthTimeoutMs ? { healthTimeoutMs: options.rails.healthTimeoutMs } : {}),
      logger,
    };
    const liveEndpoint = options.rails?.liveEndpoint;
    const rails: Record<Mode, PaymentRail> = {
      live: createCodeRail({
        mode: 'live',
        endpoint: () => liveEndpoint,
        webhookKey: ed25519PublicKeyFromBase58(CODE_PRODUCTION_WEBHOOK_KEY),
        ...railTiming,
      }),
      sandbox: createSandboxRail({ endpoint: sandbox.endpoint, webhookKey: sandboxKey.publicKey, ...railTiming }),
    };
    let listener: WebhookListener | null = null;
    let tunnel: TunnelSupervisor | null = null;
    const webhookUrlFor = (mode: Mode) => (listener && tunnel ? webhookUrlSource({ tunnelState: () => tunnel!.state(), listener })(mode) : null);
    const webhookUrl = () => webhookUrlFor(settings.get().mode);
    const payments = createPaymentsService({
      ledger,
      config: () => ({ mode: settings.get().mode, destination: settings.destination(), tips: settings.get().tips }),
      rails,
      limits: settings,
      webhookUrl: webhookUrlFor,
      ...(options.reconcilerTiming ? { timing: options.reconcilerTiming } : {}),
      logger,
    });
    const handler = createWebhookHandler({
      ledger,
      mode: () => settings.get().mode,
      keyFor: (mode) => rails[mode].webhookKey,
      recordProof: payments.recordProof,
      logger,
    });
    listener = await listen(settings.secrets.listenerPort, settings.secrets.webhookPathSecret, handler, logger);
    const activeListener = listener;
    cleanups.unshift(() => activeListener.close());
    sandbox.resumeDeliveries();

    // 4. The tunnel, pointed at the listener.
    const installedCloudflared = join(options.dataDir, 'bin', process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared');
    tunnel = createTunnelSupervisor({
      mode: initialTunnel,
      localPort: listener.port,
      healthPath: listener.healthPath,
      binary: {
        ...(options.bundledCloudflared ? { bundledPath: options.bundledCloudflared } : {}),
        ...(existsSync(installedCloudflared) ? { configuredPath: installedCloudflared } : {}),
        ...options.tunnel?.binary,
      },
      ...(options.tunnel?.fetchImpl ? { fetchImpl: options.tunnel.fetchImpl } : {}),
      ...(options.tunnel?.timing ? { timing: options.tunnel.timing } : {}),
      ...(options.tunnel?.backoff ? { backoff: options.tunnel.backoff } : {}),
      ...(options.tunnel?.spawn ? { spawn: options.tunnel.spawn } : {}),
      logger,
    });
    const activeTunnel = tunnel;
    cleanups.unshift(() => activeTunnel.stop());

    // 5. What the screens see: the status bar, every sale's change, the till's
    // sale; the print queue, which pushes the status bar when the printer changes.
    let pushStatus = () => {};
    // The sync worker of step 7, swapped when the shop database setting changes.
    let syncWorker: SyncWorker | null = null;
    const printing = createPrintQueue({
      ledger,
      settings: () => settings.get(),
      autoPrintSince: () => settings.autoPrintSince(),
      transports: {
        network: options.printing?.networkTransport ?? createNetworkTransport(options.printing?.networkTiming),
        system: options.printing?.systemTransport ?? NO_SYSTEM_PRINTER,
      },
      sales: payments,
      // The shifts service is wired below; a Z-report job asks it only when it prints.
      shiftReport: (shiftId) => shifts.report(shiftId),
      publish: bus.publish,
      onStatus: () => pushStatus(),
      ...(options.printing?.stopWaitMs !== undefined ? { stopWaitMs: options.printing.stopWaitMs } : {}),
      logger,
    });
    const appStatus = createAppStatus({
      settings,
      tunnel: activeTunnel,
      listener: activeListener,
      webhookUrl,
      rail: () => rails[settings.get().mode].health(),
      printer: () => printing.status(),
      sync: () => syncWorker?.status() ?? { state: 'off' },
      timeZone: ledger.timeZone,
      logFile: options.logFile ?? null,
      bus,
      logger,
      ...(options.listenerCheckMs ? { listenerCheckMs: options.listenerCheckMs } : {}),
    });
    cleanups.unshift(() => appStatus.close());
    pushStatus = () => appStatus.push();
    payments.subscribe((update) => {
      bus.publish({ type: 'sale', sale: update.sale, cause: update.cause });
      appStatus.noteSale(update);
    });
    const tillFocus = createTillFocus({ ledger, payments, logger });
    const customerDisplay = createCustomerDisplay({
      settings: () => settings.get(),
      tillFocus,
      payments,
      ...(options.customerPaidShownMs !== undefined ? { paidShownMs: options.customerPaidShownMs } : {}),
      logger,
    });
    cleanups.unshift(() => customerDisplay.close());

    // 6. People, the till's session, shifts and refunds (issue 15).
    const people = createPeopleService({ ledger, logger });
    const session = createTillSession({ people, ledger, lockAfterMs: () => settings.get().lockAfterMinutes * 60_000, logger });
    cleanups.unshift(() => session.close());
    session.onChange((view) => bus.publish({ type: 'session', session: view }));
    const shifts = createShiftService({
      ledger,
      config: () => ({ mode: settings.get().mode, currency: settings.get().currency }),
      publish: (shift) => bus.publish({ type: 'shift', shift }),
      printReport: (id) => printing.enqueueShiftReport(id, 'auto'),
      logger,
    });
    const refunds = createRefundService({
      ledger,
      publishSale: (sale, cause) => bus.publish({ type: 'sale', sale, cause }),
      printRefund: (refundId) => printing.enqueueRefund(refundId, 'auto'),
      logger,
    });

    // Whether Code takes payment requests: checked at start, hourly, when
    // going live, after a failed request (the payments service) and on demand.
    for (const rail of Object.values(rails)) cleanups.unshift(rail.onHealth(() => appStatus.push()));
    const checkRail = () => rails[settings.get().mode].checkHealth();
    const quietly = (check: Promise<unknown>) => void check.catch((error: unknown) => log.warn(`rail health check failed: ${(error as Error).message}`));
    quietly(checkRail());
    const healthTimer = setInterval(() => quietly(checkRail()), options.rails?.healthIntervalMs ?? 60 * 60_000);
    healthTimer.unref();
    cleanups.unshift(() => clearInterval(healthTimer));

    // Before the reconciler: a payment it records at start is already heard by the queue.
    if (options.printing?.start ?? true) printing.start();
    cleanups.unshift(() => printing.stop());
    payments.start();
    cleanups.unshift(() => payments.stop());
    activeTunnel.start();

    // 7. The sync to the shop database (issue 16), on its own timer: a sale
    // only appends outbox rows in its own transaction, and the worker sends
    // them later. Stopped before the ledger closes, after the batch in flight.
    // The status bar hears of every change of the worker's status, at most
    // four times a second (a catch-up changes "n waiting" with every batch).
    let syncPushTimer: NodeJS.Timeout | null = null;
    let lastSyncPush = 0;
    const pushSyncStatus = () => {
      if (syncPushTimer) return;
      syncPushTimer = setTimeout(
        () => {
          syncPushTimer = null;
          lastSyncPush = Date.now();
          appStatus.push();
        },
        Math.max(0, lastSyncPush + 250 - Date.now()),
      );
      syncPushTimer.unref();
    };
    const startWorker = (url: string, shop: Omit<NonNullable<CounterCoreOptions['shopDatabase']>, 'url'> = {}): SyncWorker => {
      const worker = createSyncWorker({
        outbox: ledger.outbox,
        connect: () => connectShopDatabase({ url, logger, ...(shop.connectTimeoutMs ? { connectTimeoutMs: shop.connectTimeoutMs } : {}) }),
        shopName: () => settings.get().shopName,
        tillName: () => settings.get().tillName,
        ...(shop.batchRows ? { batchRows: shop.batchRows } : {}),
        ...(shop.timing ? { timing: shop.timing } : {}),
        onStatus: pushSyncStatus,
        logger,
      });
      worker.start();
      return worker;
    };
    // A sale just made goes out now rather than at the end of the worker's rest.
    cleanups.unshift(payments.subscribe(() => syncWorker?.wake()));
    /** How long the setting's worker, a connection test and the shop view may take to connect. */
    const connectTimeout = options.shopDatabaseConnectTimeoutMs ? { connectTimeoutMs: options.shopDatabaseConnectTimeoutMs } : {};
    /** Which shop database the running worker sends to (URL and password), to restart it only when that changes. */
    let syncTarget: string | null = null;
    let syncChange: Promise<void> = Promise.resolve();
    let syncClosed = false;
    /** Follows the setting: stops the worker (after its batch in flight) and starts one for the new database, or none. The outbox keeps everything meanwhile. */
    const followSetting = () => {
      syncChange = syncChange.then(async () => {
        const choice = syncClosed ? null : settings.shopDatabase();
        const target = choice ? JSON.stringify(choice) : null;
        if (target === syncTarget) return;
        syncTarget = target;
        const old = syncWorker;
        syncWorker = null;
        if (old) await old.stop();
        if (choice) {
          if (choice.password === null && settings.get().shopDatabase.passwordSaved) {
            log.warn('the saved shop database password cannot be decrypted on this computer: type it again in Settings');
          }
          syncWorker = startWorker(urlWithPassword(choice), { ...(options.syncTiming ? { timing: options.syncTiming } : {}), ...connectTimeout });
          log.info('syncing to the shop database', { where: choice.url });
        } else if (old) log.info('no shop database: the sync is off');
        pushSyncStatus();
      });
      return syncChange;
    };
    const hosting = createShopHosting({
      dataDir: options.dataDir,
      settings,
      followSetting,
      redactor,
      logger,
      ...(options.shopHostListen ? { listen: options.shopHostListen } : {}),
    });
    // Stopped after the worker below has let go of it (cleanups run last-added first).
    cleanups.unshift(() => hosting.close());
    if (options.shopDatabase) {
      const { url, ...shop } = options.shopDatabase;
      // The password never reaches a log line or a screen, whatever a library writes in a message.
      // (Read from any URL, even one the worker will refuse; one that does not parse at all adds nothing.)
      const password = (() => {
        try {
          return decodeURIComponent(new URL(url).password) || undefined;
        } catch {
          return undefined;
        }
      })();
      redactor.add(password);
      syncWorker = startWorker(url, shop);
    } else {
      // A till that hosts the shop database brings its server back first, so its own worker finds it up.
      await hosting.resume();
      await followSetting();
    }
    cleanups.unshift(async () => {
      syncClosed = true;
      await syncChange;
      await syncWorker?.stop();
      syncWorker = null;
      if (syncPushTimer) clearTimeout(syncPushTimer);
    });
    // The shop view reads the database this till syncs to, on a connection of its own.
    const shopView = createShopViewSource({
      url: () => {
        if (options.shopDatabase) return options.shopDatabase.url;
        const choice = settings.shopDatabase();
        return choice ? urlWithPassword(choice) : null;
      },
      timeZone: ledger.timeZone,
      thisTillId: () => ledger.outbox.tillId(),
      logger,
      ...connectTimeout,
    });
    cleanups.unshift(() => shopView.close());
    /**
     * A new shop database (or a new password) is tried before it is saved: a
     * wrong address or password is refused at the form, keyed by its field,
     * and nothing is saved. Returns what the patch asks for, or undefined
     * when it does not touch the shop database.
     */
    const checkShopDatabasePatch = async (patch: unknown): Promise<ShopDatabaseChoice | undefined> => {
      const asked = shopDatabasePatch.safeParse((patch as { shopDatabase?: unknown } | null)?.shopDatabase);
      // A malformed patch, or one while this till hosts the shop database, is the settings store's to refuse, in its words.
      if (!asked.success || settings.get().shopDatabase.host) return undefined;
      const choice = resolveShopDatabase(asked.data, { url: settings.get().shopDatabase.url, password: settings.shopDatabasePassword });
      redactor.add(choice.password);
      const now = settings.shopDatabase();
      const changed = choice.url !== now?.url || choice.password !== now?.password;
      if (choice.url !== null && changed) await checkShopDatabase({ ...choice, url: choice.url }, { logger, ...connectTimeout });
      return choice;
    };

    log.info('started', { dataDir: options.dataDir, mode: settings.get().mode, listenerPort: activeListener.port });

    let closing: Promise<void> | null = null;
    return {
      ledger,
      reports: ledger.queries,
      settings,
      sandbox,
      listener: activeListener,
      tunnel: activeTunnel,
      payments,
      rails,
      checkRail,
      tillFocus,
      customerDisplay: {
        view: customerDisplay.view,
        // Like onEvent: whatever is pushed to a screen passes the redactor.
        onView: (fn) => customerDisplay.onView((view) => fn(redactor.value(view))),
        chooseTip: customerDisplay.chooseTip,
      },
      printing: {
        enqueueReceipt: printing.enqueueReceipt,
        enqueueDaySummary: printing.enqueueDaySummary,
        enqueueTest: printing.enqueueTest,
        openDrawer: printing.openDrawer,
        retry: printing.retry,
        jobs: printing.jobs,
        status: printing.status,
        enqueueRefund: printing.enqueueRefund,
        enqueueShiftReport: printing.enqueueShiftReport,
      },
      people,
      session,
      shifts,
      refunds,
      get sync() {
        return syncWorker;
      },
      shopView: () => shopView.reports(),
      shopHosting: { set: hosting.set, view: hosting.view },
      async testShopDatabase({ url, password }) {
        const choice = resolveShopDatabase({ url, password }, { url: settings.get().shopDatabase.url, password: settings.shopDatabasePassword });
        if (choice.url === null) throw new SettingsError({ 'shopDatabase.url': 'Give the shop database URL, like postgres://user@host:5432/shop.' });
        redactor.add(choice.password);
        return checkShopDatabase({ ...choice, url: choice.url }, { logger, ...connectTimeout });
      },
      redactor,
      logger,
      status: appStatus.status,
      async updateSettings(patch, by = { actor: null }) {
        const before = settings.tunnel();
        const beforeSettings = settings.get();
        const shopDatabase = await checkShopDatabasePatch(patch);
        const after = settings.update(patch, (from, to) => settingsAuditEntry(from, to, by));
        if (shopDatabase !== undefined && !options.shopDatabase) await followSetting();
        // A new idle time applies to the session at once (and the lock screen hears of it).
        if (after.lockAfterMinutes !== beforeSettings.lockAfterMinutes) session.refresh();
        const tunnelMode = settings.tunnel();
        if (tunnelMode.kind === 'named') redactor.add(tunnelMode.token);
        if (JSON.stringify(before) !== JSON.stringify(tunnelMode)) await activeTunnel.setMode(tunnelMode);
        if (after.sandboxPaymentService !== beforeSettings.sandboxPaymentService) {
          sandbox.setPaymentService(after.sandboxPaymentService);
          // The local sandbox answers at once: the status the screens get next is already right.
          await rails.sandbox.checkHealth();
        }
        // Going live: is Code there? Not awaited, since Code may take its time to answer.
        if (after.mode !== beforeSettings.mode) quietly(rails[after.mode].checkHealth());
        appStatus.push();
        // The shop name, the mode and the display's own switch show on the customer's screen at once.
        customerDisplay.refresh();
        return after;
      },
      installCloudflared: () =>
        activeTunnel.installBinary(join(options.dataDir, 'bin'), (p) =>
          bus.publish({ type: 'tunnel-install', received: p.received, ...(p.total !== undefined ? { total: p.total } : {}) }),
        ),
      onEvent: (fn) => bus.subscribe((event) => fn(redactor.value(event))),
      publish: bus.publish,
      // Graceful quit, in order: reconciliation and tunnel first, then the
      // listener and the sandbox, the ledger last.
      close() {
        closing ??= runCleanups(cleanups, log).then(() => log.info('stopped'));
        return closing;
      },
    };
  } catch (error) {
    await runCleanups(cleanups, log);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>, log: Logger): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      log.error(`shutdown step failed: ${(error as Error).message}`);
    }
  }
}

/** The saved port when it is free, any free port when it is not (the tunnel follows it either way). */
async function listen(
  port: number,
  pathSecret: string,
  onWebhook: Parameters<typeof createWebhookListener>[0]['onWebhook'],
  logger: Logger,
): Promise<WebhookListener> {
  try {
    return await createWebhookListener({ port, pathSecret, onWebhook, logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    logger
      .child('counter-core')
      .warn(`port ${port} is taken; the webhook listener uses another one (a named or fixed tunnel must follow it)`);
    return createWebhookListener({ port: 0, pathSecret, onWebhook, logger });
  }
}
