import { useEffect, useRef } from 'react';
import { getCounterApi } from '../common/api';

/** At most one touch this often: the idle lock counts minutes, not keystrokes. */
export const TOUCH_EVERY_MS = 30_000;

/**
 * While someone is signed in, a key or a tap tells the main process the
 * till is in use (it locks after the owner's idle time without one). Any
 * other call counts too; this covers a person reading or typing without
 * calls.
 */
export function useActivityTouch(signedIn: boolean): void {
  const last = useRef(0);
  useEffect(() => {
    if (!signedIn) return;
    last.current = Date.now();
    const touch = () => {
      const now = Date.now();
      if (now - last.current < TOUCH_EVERY_MS) return;
      last.current = now;
      void getCounterApi().touchSession(undefined);
    };
    window.addEventListener('keydown', touch, true);
    window.addEventListener('pointerdown', touch, true);
    return () => {
      window.removeEventListener('keydown', touch, true);
      window.removeEventListener('pointerdown', touch, true);
    };
  }, [signedIn]);
}
