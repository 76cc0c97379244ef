import type { Settings } from '../../shared/contract';
import { isDepositAddress } from '../../shared/domain/deposit-address';
import type { Actor } from '../../shared/domain/people';
import type { CounterCore } from '../app/counter-core';
import { SettingsError } from '../settings/settings-store';
import { PeopleError } from './people-service';

/**
 * The deposit address and the live/sandbox switch: where every payment goes,
 * so the one change that can quietly steal a shop's takings. The owner gives
 * their PIN again (the same delays and lockout as signing in); when the
 * address payments go to changes, or the till goes live, they type back the
 * last four characters of that address, having read it beside the old one.
 * A mode switch waits for the open shift to close (a shift runs in one mode).
 * The change is audited ('payment-setup-changed', old and new), and every
 * person's next sign-in shows it.
 */

export interface PaymentSetupInput {
  mode: 'live' | 'sandbox';
  depositAddress: string | null;
  ownerPin: string;
  lastFour?: string | undefined;
}

export async function changePaymentSetup(
  core: Pick<CounterCore, 'people' | 'settings' | 'shifts' | 'updateSettings'>,
  owner: Actor,
  input: PaymentSetupInput,
): Promise<Settings> {
  const current = core.settings.get();
  const address = input.depositAddress === null || input.depositAddress.trim() === '' ? null : input.depositAddress.trim();

  // What is wrong with the request is said before the PIN is asked for, so a typo costs no try.
  if (address !== null && !isDepositAddress(address)) {
    throw new SettingsError({ depositAddress: 'This is not a Code deposit address: it must be a base58 key of 32 bytes. Copy it again from the Code app.' });
  }
  if (input.mode === 'live' && address === null) throw new SettingsError({ mode: 'Set the shop’s Code deposit address before switching to live payments.' });

  const addressChanged = address !== current.depositAddress;
  const modeChanged = input.mode !== current.mode;
  if (!addressChanged && !modeChanged) return current;

  const goingLive = modeChanged && input.mode === 'live';
  if (address !== null && (addressChanged || goingLive)) {
    // Case-sensitive: base58 tells "a" from "A", and so must the person checking it.
    if ((input.lastFour ?? '').trim() !== address.slice(-4)) {
      throw new PeopleError('confirmation-mismatch', 'Type the last four characters of the new deposit address exactly as shown, to confirm it.', {
        fields: { lastFour: 'Does not match the end of the new address.' },
      });
    }
  }
  if (modeChanged && core.shifts.current()) {
    throw new PeopleError('shift-open', `Close the open shift before switching to ${input.mode === 'live' ? 'live' : 'sandbox'} payments: a shift runs in one mode.`);
  }

  const who = await core.people.verifyPin(owner.id, input.ownerPin);
  if (who.role !== 'owner') throw new PeopleError('forbidden', 'The deposit address and live payments need the owner.');
  return core.updateSettings({ mode: input.mode, depositAddress: address }, { actor: who, paymentSetup: true });
}
