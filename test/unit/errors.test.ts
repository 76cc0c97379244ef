import { describe, expect, it } from 'vitest';
import { HostError } from '../../electron/core/api/api-errors';
import { BootError } from '../../electron/core/app/boot';
import { CounterError } from '../../electron/core/app/errors';
import { LedgerError } from '../../electron/core/ledger/errors';
import { PaymentsError } from '../../electron/core/payments/errors';
import { RailError } from '../../electron/core/rails/errors';
import { SandboxError } from '../../electron/core/sandbox/errors';
import { SettingsError } from '../../electron/core/settings/settings-store';
import { BinaryInstallError } from '../../electron/core/tunnel/install-binary';
import { AccessError } from '../../electron/core/api/access-guard';
import { PeopleError } from '../../electron/core/people/people-service';
import { PinHashError } from '../../electron/core/people/pin-hash';
import { RefundError } from '../../electron/core/refunds/refund-service';
import { ShiftError } from '../../electron/core/shifts/shift-service';

// One error base: every failure the core expects is a CounterError with a
// kebab-case code and a message for the person at the till.

describe('the error base', () => {
  it.each([
    ['LedgerError', new LedgerError('not-found', 'No sale with id 9')],
    ['PaymentsError', new PaymentsError('partly-paid', 'Sale #3 is partly paid, so it cannot be cancelled.')],
    ['RailError', new RailError('sequencer-rejected', 'Code refused the payment request.')],
    ['SandboxError', new SandboxError('intent-not-found', 'no sandbox intent "x"')],
    ['SettingsError', new SettingsError({ shopName: 'Give the shop a name.' })],
    ['BinaryInstallError', new BinaryInstallError('install-timeout', 'Downloading cloudflared did not finish.')],
    ['HostError', new HostError('unsupported', 'Use Print instead.')],
    ['BootError', new BootError('port-in-use', 'Another program is using port 1.', null)],
    ['AccessError', new AccessError('forbidden', 'Refunds need a manager or the owner.')],
    ['PeopleError', new PeopleError('wrong-pin', 'That PIN is not right.')],
    ['PinHashError', new PinHashError('malformed-pin-hash', 'This person’s stored PIN is damaged.')],
    ['RefundError', new RefundError('too-much', 'Only $2.00 of sale #4 can still be refunded.')],
    ['ShiftError', new ShiftError('open-sales', 'Sale #2 is still open.')],
  ])('%s is a CounterError with a kebab-case code', (name, error) => {
    expect(error).toBeInstanceOf(CounterError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it('refuses a code that is not kebab-case', () => {
    expect(() => new CounterError('INTENT_NOT_FOUND', 'x')).toThrow(TypeError);
    expect(() => new CounterError('notFound', 'x')).toThrow(/kebab-case/);
  });

  it('carries per-field messages for forms', () => {
    expect(new SettingsError({ currency: 'Code does not take payments in "xyz".' })).toMatchObject({
      code: 'invalid-settings',
      fields: { currency: 'Code does not take payments in "xyz".' },
      message: 'Code does not take payments in "xyz".',
    });
  });
});
