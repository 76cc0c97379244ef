// The deposit address and the live/sandbox switch as the owner changes them:
// the new mode and address, the new address's last four characters typed
// back, and the owner's PIN. Pure, so it is unit-tested; the main process
// checks it all again (and the PIN with its delays).
import type { ApiArgs, Mode, Settings } from '../../../electron/shared/contract';
import { depositAddressProblem } from '../../../electron/shared/domain/deposit-address';
import { pinProblem } from '../../../electron/shared/domain/people';

export interface PaymentSetupDraft {
  mode: Mode;
  /** As typed; empty means none (sandbox only). */
  address: string;
  lastFour: string;
  pin: string;
}

export function draftFromSettings(s: Pick<Settings, 'mode' | 'depositAddress'>): PaymentSetupDraft {
  return { mode: s.mode, address: s.depositAddress ?? '', lastFour: '', pin: '' };
}

/** The address the draft says, trimmed; null for none. */
export function draftAddress(d: Pick<PaymentSetupDraft, 'address'>): string | null {
  return d.address.trim() || null;
}

/** The last four characters of an address, as the owner types them back. */
export function lastFourOf(address: string): string {
  return address.slice(-4);
}

/** The address and the rest of it, so the last four can be shown apart. */
export function splitLastFour(address: string): [head: string, lastFour: string] {
  return [address.slice(0, -4), address.slice(-4)];
}

/** Whether the change moves where payments go: a new address, or going live (then the owner confirms the address money will reach). */
export function needsLastFour(d: PaymentSetupDraft, saved: Pick<Settings, 'mode' | 'depositAddress'>): boolean {
  const address = draftAddress(d);
  if (address === null) return false;
  return address !== saved.depositAddress || (d.mode === 'live' && saved.mode !== 'live');
}

export function draftChanged(d: PaymentSetupDraft, saved: Pick<Settings, 'mode' | 'depositAddress'>): boolean {
  return d.mode !== saved.mode || draftAddress(d) !== saved.depositAddress;
}

/** What stops the change, in the owner's words; null when it can be sent. */
export function paymentSetupProblem(d: PaymentSetupDraft, saved: Pick<Settings, 'mode' | 'depositAddress'>): string | null {
  if (!draftChanged(d, saved)) return 'Nothing changes: choose another mode or type a new address.';
  const address = draftAddress(d);
  const problem = address === null ? null : depositAddressProblem(address);
  if (problem) return problem;
  if (d.mode === 'live' && address === null) return 'Going live needs the deposit address payments go to: copy it from the Code app.';
  if (needsLastFour(d, saved)) {
    if (d.lastFour.trim() === '') return 'Type the last four characters of the new address, as you read them in the Code app.';
    if (d.lastFour.trim() !== lastFourOf(address!)) return 'The last four characters do not match the new address (capitals count). Check the address you pasted.';
  }
  if (d.pin === '') return 'Type your PIN to confirm.';
  if (pinProblem(d.pin)) return 'That is not a PIN: 4 to 8 digits.';
  return null;
}

export function paymentSetupArgs(d: PaymentSetupDraft, saved: Pick<Settings, 'mode' | 'depositAddress'>): ApiArgs<'changePaymentSetup'> {
  const args: ApiArgs<'changePaymentSetup'> = { mode: d.mode, depositAddress: draftAddress(d), ownerPin: d.pin };
  if (needsLastFour(d, saved)) args.lastFour = d.lastFour.trim();
  return args;
}
