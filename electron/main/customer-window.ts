/**
 * Where the customer display's window is (SPEC §7): full screen on a display
 * other than the till's when one is connected, following displays as they
 * are plugged in and out; otherwise a normal window the cashier opens from
 * the till and moves where the customer can see it; none when the setting
 * is off. Written against slices of Electron's `screen` and BrowserWindow,
 * so the decisions are tested under plain Node; index.ts supplies the real
 * ones.
 */
import type { CustomerDisplayOpened } from '../shared/contract';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  id: number;
  bounds: Rect;
}

type ScreenEvent = 'display-added' | 'display-removed' | 'display-metrics-changed';

/** The slice of Electron's `screen` the manager uses. */
export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getPrimaryDisplay(): DisplayLike;
  getDisplayMatching(rect: Rect): DisplayLike;
  on(event: ScreenEvent, listener: () => void): unknown;
  removeListener(event: ScreenEvent, listener: () => void): unknown;
}

/** The slice of a BrowserWindow the manager uses. */
export interface CustomerWindowLike {
  readonly webContents: { readonly id: number; send(channel: string, ...args: unknown[]): void };
  isDestroyed(): boolean;
  isFullScreen(): boolean;
  setFullScreen(flag: boolean): void;
  setBounds(bounds: Rect): void;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  /** Shown without taking the keyboard from the till. */
  showInactive(): void;
  focus(): void;
  close(): void;
  once(event: 'closed', listener: () => void): unknown;
}

/** How a new window is placed: full screen over a display's bounds, or a normal window over (part of) the till's display. */
export interface Placement {
  bounds: Rect;
  fullScreen: boolean;
}

export interface CustomerWindowOptions {
  screen: ScreenLike;
  /** Creates the hardened customer BrowserWindow (index.ts) at this placement. */
  createWindow(placement: Placement): CustomerWindowLike;
  /** The till window's bounds, to know which display is the till's; null when it has none (then the primary display is). */
  tillBounds(): Rect | null;
  /** The customerDisplay setting. */
  enabled(): boolean;
  log?: (message: string) => void;
}

export interface CustomerWindowManager {
  /** The customer window's webContents id, for the IPC sender check; null when it is closed. */
  contentsId(): number | null;
  /** Sends to the customer window only (its pushed views); nothing when it is closed. */
  send(channel: string, payload: unknown): void;
  /** The till's "customer display" button: opens it (or brings it back) where it belongs. */
  show(): CustomerDisplayOpened;
  /** Applies the setting and the displays again (after a settings change). */
  sync(): void;
  close(): void;
}

/** The display the customer display goes on: the first one that is not the till's; null with a single display. */
export function chooseCustomerDisplay<D extends DisplayLike>(displays: readonly D[], tillDisplayId: number | null): D | null {
  return displays.find((d) => d.id !== tillDisplayId) ?? null;
}

/** A normal window's size when the customer display shares the till's screen: a third of it, at most 800×600, in a corner. */
export function windowedPlacement(display: DisplayLike): Placement {
  const { x, y, width, height } = display.bounds;
  const w = Math.min(800, Math.max(480, Math.round(width / 3)));
  const h = Math.min(600, Math.max(360, Math.round(height / 3)));
  return { bounds: { x: x + width - w, y, width: Math.min(w, width), height: Math.min(h, height) }, fullScreen: false };
}

const SCREEN_EVENTS: ScreenEvent[] = ['display-added', 'display-removed', 'display-metrics-changed'];

export function createCustomerWindowManager(options: CustomerWindowOptions): CustomerWindowManager {
  const { screen } = options;
  const log = options.log ?? (() => undefined);
  let win: CustomerWindowLike | null = null;
  /** The display the window is full screen on; null when windowed (or closed). */
  let onDisplay: number | null = null;
  /** The cashier closed the window: it is not put back by a display's metrics changing, only by a new display, the setting or the till's button. */
  let dismissed = false;
  let wasEnabled = options.enabled();
  let closed = false;

  const open = () => (win && !win.isDestroyed() ? win : null);

  function tillDisplayId(): number {
    const bounds = options.tillBounds();
    return (bounds ? screen.getDisplayMatching(bounds) : screen.getPrimaryDisplay()).id;
  }

  function target(): DisplayLike | null {
    return chooseCustomerDisplay(screen.getAllDisplays(), tillDisplayId());
  }

  function create(placement: Placement): CustomerWindowLike {
    const created = options.createWindow(placement);
    win = created;
    created.once('closed', () => {
      if (win !== created) return;
      win = null;
      onDisplay = null;
      // Closed by the cashier (not by this module): leave it closed until asked again.
      if (!closed) dismissed = true;
    });
    return created;
  }

  function fullScreenOn(display: DisplayLike): void {
    const current = open();
    if (!current) {
      create({ bounds: display.bounds, fullScreen: true });
      log(`customer display: opened full screen on display ${display.id}`);
    } else if (onDisplay !== display.id || !current.isFullScreen()) {
      // Leave full screen first: a full-screen window cannot be moved to another display.
      if (current.isFullScreen()) current.setFullScreen(false);
      current.setBounds(display.bounds);
      current.setFullScreen(true);
      log(`customer display: moved full screen to display ${display.id}`);
    }
    onDisplay = display.id;
  }

  function shut(): void {
    const current = open();
    win = null;
    onDisplay = null;
    if (current) current.close();
  }

  function sync(cause: 'setting' | 'display-added' | 'display-changed'): void {
    if (closed) return;
    const enabled = options.enabled();
    const turnedOn = enabled && !wasEnabled;
    wasEnabled = enabled;
    if (!enabled) {
      if (open()) log('customer display: off in the settings; window closed');
      shut();
      return;
    }
    if (turnedOn || cause === 'display-added') dismissed = false;
    const display = target();
    if (display) {
      if (!dismissed) fullScreenOn(display);
      return;
    }
    // The customer's display went away: nobody sees a window full screen on it any more, so it closes
    // (the till's button opens it again as a normal window). A window the cashier placed stays.
    if (open() && onDisplay !== null) {
      log('customer display: its display was disconnected; window closed');
      shut();
    }
  }

  const listeners = SCREEN_EVENTS.map((event) => {
    const listener = () => sync(event === 'display-added' ? 'display-added' : 'display-changed');
    screen.on(event, listener);
    return [event, listener] as const;
  });
  // At start: a second display already connected gets the customer display at once.
  sync('setting');

  return {
    contentsId: () => open()?.webContents.id ?? null,
    send(channel, payload) {
      open()?.webContents.send(channel, payload);
    },
    show() {
      if (!options.enabled()) return { kind: 'off' };
      dismissed = false;
      const display = target();
      if (display) {
        fullScreenOn(display);
        // On the customer's display: shown, but the keyboard stays with the till.
        open()!.showInactive();
        return { kind: 'window', fullScreen: true };
      }
      const current = open() ?? create(windowedPlacement(screen.getDisplayMatching(options.tillBounds() ?? screen.getPrimaryDisplay().bounds)));
      if (current.isMinimized()) current.restore();
      // On the till's own display: in front, for the cashier to move where the customer can see it.
      current.show();
      current.focus();
      return { kind: 'window', fullScreen: false };
    },
    sync: () => sync('setting'),
    close() {
      closed = true;
      for (const [event, listener] of listeners) screen.removeListener(event, listener);
      shut();
    },
  };
}
