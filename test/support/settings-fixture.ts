import type { Settings } from '../../electron/shared/contract';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';

/** Settings as getSettings answers them on a fresh install (the shop named "My shop"), for the renderer's pure form code. */
export const SAVED_SETTINGS: Settings = {
  mode: 'sandbox',
  depositAddress: null,
  currency: 'usd',
  shopName: 'My shop',
  tillName: '',
  lockAfterMinutes: 5,
  shopDatabase: { url: null, passwordSaved: false, passwordEncrypted: false, host: null },
  tunnel: { kind: 'quick' },
  confirmAbove: 1_000_00,
  receiptDetails: false,
  codeMaximum: { amount: 100, source: 'code-table', at: null, tableAmount: 100, minimum: 5 },
  sandboxPaymentService: true,
  tips: { enabled: false, presets: [10, 15, 20], custom: true },
  customerDisplay: true,
  paidSound: true,
  printer: DEFAULT_PRINTER_SETTINGS,
};
