import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/** How far ahead of the end of the list the next page is asked for. */
const AHEAD_PX = 800;

/**
 * Calls `onVisible` when `target` comes within reach of its scroll
 * container's viewport. The observer is renewed whenever `renew` changes
 * (after each page): a fresh observer reports at once, so a page too short
 * to push the target out of view still leads to the next one.
 */
export function useLoadOnView(target: RefObject<HTMLElement | null>, enabled: boolean, renew: unknown, onVisible: () => void): void {
  const latest = useRef(onVisible);
  useLayoutEffect(() => {
    latest.current = onVisible;
  });
  useEffect(() => {
    const el = target.current;
    if (!enabled || !el || typeof IntersectionObserver === 'undefined') return;
    const root = scrollParent(el);
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && latest.current(), {
      root,
      rootMargin: `0px 0px ${AHEAD_PX}px 0px`,
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [target, enabled, renew]);
}

function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if (overflowY === 'auto' || overflowY === 'scroll') return p;
  }
  return null;
}
