// The PIN as the lock screen's pad and keyboard build it: digits only, at
// most PIN_MAX_DIGITS of them, shown masked. Pure, so it is unit-tested.
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../../electron/shared/domain/people';

/** A key pressed on the pad or the keyboard: a digit is added (up to the longest PIN), anything else ignored. */
export function pinWithKey(pin: string, key: string): string {
  if (!/^[0-9]$/.test(key) || pin.length >= PIN_MAX_DIGITS) return pin;
  return pin + key;
}

export function pinWithoutLast(pin: string): string {
  return pin.slice(0, -1);
}

/** Long enough to try: shorter PINs do not exist, so sending one would only count as a failure. */
export function pinReady(pin: string): boolean {
  return pin.length >= PIN_MIN_DIGITS;
}

/** One dot per digit typed, never the digits. */
export function maskedPin(pin: string): string {
  return '•'.repeat(pin.length);
}

/**
 * The seconds the main process says to wait before the next try ("Wait 20 s
 * before trying again.", "Wait 2 min …"), so the pad can count down and hold
 * the button; null when the message asks for no wait.
 */
export function waitSecondsOf(message: string): number | null {
  const match = /\bWait (\d+) (s|min)\b/.exec(message);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'min' ? 60 : 1);
}

/** A wait in words as the main process writes it: "7 s" under two minutes, else whole minutes rounded up. */
function waitWords(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** The wait's message with the time left now ("Wait 7 s before trying again."). */
export function waitText(message: string, secondsLeft: number): string {
  return message.replace(/\bWait \d+ (?:s|min)\b/, `Wait ${waitWords(secondsLeft)}`);
}
