// One cached Intl.DateTimeFormat per format and time zone, for showing
// instants on the shop's wall clock: the screens (renderer/src/common/shop-time.ts)
// and the printed receipts (receipt-builder.ts) both use it.

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The format named `kind` in `timeZone`, made once. An unknown zone falls
 * back to the computer's own: a bad setting must never blank a screen or
 * stop a receipt.
 */
export function shopDateFormat(timeZone: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, f);
  }
  return f;
}
