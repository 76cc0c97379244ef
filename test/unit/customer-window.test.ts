import { describe, expect, it } from 'vitest';
import {
  chooseCustomerDisplay,
  createCustomerWindowManager,
  type CustomerWindowLike,
  type DisplayLike,
  type Placement,
  type Rect,
  type ScreenLike,
} from '../../electron/main/customer-window';

// Electron's screen and BrowserWindow cannot run here: these stand-ins keep
// the state the manager reads and record what it does, so the placement
// logic itself is what runs.

const LAPTOP: DisplayLike = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } };
const MONITOR: DisplayLike = { id: 2, bounds: { x: 1366, y: 0, width: 1920, height: 1080 } };
const TABLET: DisplayLike = { id: 3, bounds: { x: -1280, y: 0, width: 1280, height: 800 } };

const inside = (r: Rect, d: DisplayLike) => r.x >= d.bounds.x && r.x < d.bounds.x + d.bounds.width;

function fakeScreen(initial: DisplayLike[]) {
  let displays = [...initial];
  const listeners = new Map<string, Set<() => void>>();
  const emit = (event: string) => listeners.get(event)?.forEach((fn) => fn());
  const screen: ScreenLike = {
    getAllDisplays: () => displays,
    getPrimaryDisplay: () => displays[0]!,
    getDisplayMatching: (rect) => displays.find((d) => inside(rect, d)) ?? displays[0]!,
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    removeListener: (event, listener) => listeners.get(event)?.delete(listener),
  };
  return {
    screen,
    plug(display: DisplayLike) {
      displays = [...displays, display];
      emit('display-added');
    },
    unplug(id: number) {
      displays = displays.filter((d) => d.id !== id);
      emit('display-removed');
    },
    resize(id: number, bounds: Rect) {
      displays = displays.map((d) => (d.id === id ? { ...d, bounds } : d));
      emit('display-metrics-changed');
    },
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

interface FakeWindow extends CustomerWindowLike {
  bounds: Rect;
  fullScreen: boolean;
  destroyed: boolean;
  shown: 'no' | 'inactive' | 'focused';
  sent: Array<[string, unknown]>;
  /** The cashier closes it (the window's own close button). */
  userClose(): void;
}

function fakeWindows() {
  const created: FakeWindow[] = [];
  let nextId = 10;
  const createWindow = (placement: Placement): FakeWindow => {
    const closedListeners: Array<() => void> = [];
    const destroy = () => {
      if (win.destroyed) return;
      win.destroyed = true;
      closedListeners.forEach((fn) => fn());
    };
    const win: FakeWindow = {
      webContents: { id: nextId++, send: (channel, payload) => void win.sent.push([channel, payload]) },
      bounds: placement.bounds,
      fullScreen: placement.fullScreen,
      destroyed: false,
      shown: 'no',
      sent: [],
      isDestroyed: () => win.destroyed,
      isFullScreen: () => win.fullScreen,
      setFullScreen: (flag) => void (win.fullScreen = flag),
      setBounds(bounds) {
        // As in Electron, a full-screen window does not move.
        if (!win.fullScreen) win.bounds = bounds;
      },
      isMinimized: () => false,
      restore: () => undefined,
      show: () => void (win.shown = 'focused'),
      showInactive: () => void (win.shown = win.shown === 'focused' ? 'focused' : 'inactive'),
      focus: () => void (win.shown = 'focused'),
      close: destroy,
      once: (_event, listener) => void closedListeners.push(listener),
      userClose: destroy,
    };
    created.push(win);
    return win;
  };
  return { created, createWindow, open: () => created.filter((w) => !w.destroyed) };
}

function setup(displays: DisplayLike[], options: { enabled?: boolean } = {}) {
  const screen = fakeScreen(displays);
  const windows = fakeWindows();
  const setting = { enabled: options.enabled ?? true };
  const manager = createCustomerWindowManager({
    screen: screen.screen,
    createWindow: windows.createWindow,
    tillBounds: () => ({ x: 100, y: 100, width: 1024, height: 640 }), // on the laptop
    enabled: () => setting.enabled,
  });
  return { screen, windows, setting, manager };
}

describe('customer display: which display', () => {
  it('is the first display other than the till’s', () => {
    expect(chooseCustomerDisplay([LAPTOP, MONITOR], LAPTOP.id)).toBe(MONITOR);
    expect(chooseCustomerDisplay([MONITOR, LAPTOP], LAPTOP.id)).toBe(MONITOR);
    expect(chooseCustomerDisplay([LAPTOP, MONITOR, TABLET], MONITOR.id)).toBe(LAPTOP);
  });

  it('is none when the till’s display is the only one', () => {
    expect(chooseCustomerDisplay([LAPTOP], LAPTOP.id)).toBeNull();
    expect(chooseCustomerDisplay([], LAPTOP.id)).toBeNull();
  });
});

describe('customer display: the window', () => {
  it('opens full screen on a second display at start, without taking the till’s keyboard', () => {
    const { windows, manager } = setup([LAPTOP, MONITOR]);
    expect(windows.open()).toHaveLength(1);
    const win = windows.open()[0]!;
    expect(win).toMatchObject({ fullScreen: true, bounds: MONITOR.bounds });
    expect(manager.contentsId()).toBe(win.webContents.id);
    expect(manager.show()).toEqual({ kind: 'window', fullScreen: true });
    expect(win.shown).toBe('inactive');
    expect(windows.created).toHaveLength(1);
  });

  it('with one display, opens only when the till asks, as a normal window in front', () => {
    const { windows, manager } = setup([LAPTOP]);
    expect(windows.open()).toHaveLength(0);
    expect(manager.contentsId()).toBeNull();
    expect(manager.show()).toEqual({ kind: 'window', fullScreen: false });
    const win = windows.open()[0]!;
    expect(win.fullScreen).toBe(false);
    expect(inside(win.bounds, LAPTOP)).toBe(true);
    expect(win.bounds.width).toBeLessThanOrEqual(LAPTOP.bounds.width);
    expect(win.shown).toBe('focused');
    // Asked again: the same window comes forward, no second one.
    manager.show();
    expect(windows.created).toHaveLength(1);
  });

  it('follows a display being plugged in: the open window moves there, full screen', () => {
    const { screen, windows, manager } = setup([LAPTOP]);
    manager.show();
    screen.plug(MONITOR);
    expect(windows.created).toHaveLength(1);
    expect(windows.open()[0]).toMatchObject({ fullScreen: true, bounds: MONITOR.bounds });
  });

  it('opens by itself when a second display is plugged in', () => {
    const { screen, windows } = setup([LAPTOP]);
    screen.plug(MONITOR);
    expect(windows.open()).toHaveLength(1);
    expect(windows.open()[0]).toMatchObject({ fullScreen: true, bounds: MONITOR.bounds });
  });

  it('closes when its display is unplugged, and opens again as a normal window when the till asks', () => {
    const { screen, windows, manager } = setup([LAPTOP, MONITOR]);
    screen.unplug(MONITOR.id);
    expect(windows.open()).toHaveLength(0);
    expect(manager.contentsId()).toBeNull();
    expect(manager.show()).toEqual({ kind: 'window', fullScreen: false });
    expect(windows.open()[0]!.fullScreen).toBe(false);
  });

  it('moves to the remaining other display when its own is unplugged', () => {
    const { screen, windows } = setup([LAPTOP, MONITOR, TABLET]);
    expect(windows.open()[0]!.bounds).toEqual(MONITOR.bounds);
    screen.unplug(MONITOR.id);
    expect(windows.created).toHaveLength(1);
    expect(windows.open()[0]).toMatchObject({ fullScreen: true, bounds: TABLET.bounds });
  });

  it('follows its display’s new size', () => {
    const { screen, windows } = setup([LAPTOP, MONITOR]);
    const wider = { x: 1366, y: 0, width: 2560, height: 1440 };
    screen.resize(MONITOR.id, wider);
    // The display's id is the same: the full-screen window already covers it, nothing to redo.
    expect(windows.open()[0]!.fullScreen).toBe(true);
    expect(windows.created).toHaveLength(1);
  });

  it('stays closed after the cashier closes it, until a display is plugged in or the till asks', () => {
    const { screen, windows, manager } = setup([LAPTOP, MONITOR]);
    windows.open()[0]!.userClose();
    expect(manager.contentsId()).toBeNull();
    screen.resize(MONITOR.id, { x: 1366, y: 0, width: 1280, height: 1024 });
    expect(windows.open()).toHaveLength(0);
    screen.plug(TABLET);
    expect(windows.open()).toHaveLength(1);
    windows.open()[0]!.userClose();
    manager.show();
    expect(windows.open()).toHaveLength(1);
  });

  it('the setting off closes it and answers off; on again reopens it', () => {
    const { windows, setting, manager } = setup([LAPTOP, MONITOR]);
    setting.enabled = false;
    manager.sync();
    expect(windows.open()).toHaveLength(0);
    expect(manager.show()).toEqual({ kind: 'off' });
    expect(windows.open()).toHaveLength(0);
    setting.enabled = true;
    manager.sync();
    expect(windows.open()).toHaveLength(1);
    expect(windows.open()[0]).toMatchObject({ fullScreen: true, bounds: MONITOR.bounds });
  });

  it('off from the start: no window, whatever the displays do', () => {
    const { screen, windows, manager } = setup([LAPTOP], { enabled: false });
    screen.plug(MONITOR);
    expect(windows.open()).toHaveLength(0);
    expect(manager.show()).toEqual({ kind: 'off' });
  });

  it('sends pushed views to the customer window only, and nothing when it is closed', () => {
    const { windows, manager } = setup([LAPTOP, MONITOR]);
    manager.send('counter-customer:view', { state: 'idle' });
    expect(windows.open()[0]!.sent).toEqual([['counter-customer:view', { state: 'idle' }]]);
    windows.open()[0]!.userClose();
    expect(() => manager.send('counter-customer:view', { state: 'idle' })).not.toThrow();
  });

  it('close() closes the window and stops following the displays', () => {
    const { screen, windows, manager } = setup([LAPTOP, MONITOR]);
    manager.close();
    expect(windows.open()).toHaveLength(0);
    expect(screen.listenerCount()).toBe(0);
    screen.plug(TABLET);
    expect(windows.open()).toHaveLength(0);
  });
});
