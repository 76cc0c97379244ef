// Money is integer hundredths everywhere in Counter (SPEC §4.1); Code takes
// two decimal places in every currency, so the till always shows two, even
// for currencies Intl would show without (JPY): what is shown is what is charged.

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  const code = currency.toUpperCase();
  let formatter = formatters.get(code);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency: code, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      // Codes Intl refuses (Code's "usdc" has four letters): plain number, code after it.
      const plain = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      formatter = { format: (n: number) => `${plain.format(n)} ${code}` } as Intl.NumberFormat;
    }
    formatters.set(code, formatter);
  }
  return formatter;
}

/** 125, "usd" → "$1.25" (in the user's locale). */
export function formatMoney(hundredths: number, currency: string): string {
  return formatterFor(currency).format(hundredths / 100);
}

/** Largest amount the till lets the cashier type, as the ledger's MAX_AMOUNT_HUNDREDTHS. */
export const MAX_TILL_AMOUNT = 100_000_000_00;

/** Appends typed digits ("0"-"9" or "00") to an amount in hundredths; refuses to go past the maximum. */
export function appendDigits(hundredths: number, digits: string): number {
  const next = Number(`${hundredths}${digits}`);
  return Number.isSafeInteger(next) && next <= MAX_TILL_AMOUNT ? next : hundredths;
}
