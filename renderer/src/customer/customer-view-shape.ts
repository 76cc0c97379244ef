// A light check of a view that arrived as JSON (the preview's HTTP bridge):
// the fields the display reads are there and of the right kind, so a
// malformed message is dropped instead of drawing "$NaN" to a customer.
// Main builds every view from the ledger; this guards the wire, not the logic.
import type { CustomerView } from '../../../electron/shared/domain/customer-view';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function hasAmounts(v: Loose): boolean {
  return isCount(v.saleId) && typeof v.currency === 'string' && isCount(v.amount) && isCount(v.tipAmount) && isCount(v.total) && isCount(v.paid);
}

function isPrompt(v: unknown): boolean {
  return (
    isObject(v) &&
    Array.isArray(v.options) &&
    v.options.every((o) => isObject(o) && isCount(o.percent) && isCount(o.amount)) &&
    typeof v.custom === 'boolean' &&
    isCount(v.maxCustom)
  );
}

function isCodePart(payment: unknown, code: unknown): boolean {
  return (
    isObject(payment) &&
    isCount(payment.tenderId) &&
    typeof payment.intentId === 'string' &&
    isCount(payment.amount) &&
    isCount(payment.index) &&
    isCount(payment.count) &&
    isObject(code) &&
    typeof code.size === 'number' &&
    typeof code.center === 'string' &&
    isStrings(code.arcs) &&
    isStrings(code.dots)
  );
}

export function isCustomerView(value: unknown): value is CustomerView {
  if (!isObject(value)) return false;
  if (typeof value.shopName !== 'string' || (value.mode !== 'live' && value.mode !== 'sandbox')) return false;
  switch (value.state) {
    case 'idle':
      return true;
    case 'sale':
    case 'paid':
      return hasAmounts(value);
    case 'tip':
      return hasAmounts(value) && isPrompt(value.prompt);
    case 'code':
      return hasAmounts(value) && isCodePart(value.payment, value.code);
    default:
      return false;
  }
}
