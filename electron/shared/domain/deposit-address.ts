// A Code deposit address is a base58 public key of 32 bytes (SPEC §3). The
// one check of it: the settings store, the payments service and the settings
// form all ask here, so they can never disagree.
import bs58 from 'bs58';

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

export function isDepositAddress(value: unknown): value is string {
  return typeof value === 'string' && depositAddressProblem(value) === null && value.trim() === value && value !== '';
}

/** What is wrong with a typed deposit address, for the person typing it; null when it is fine (empty means "none"). */
export function depositAddressProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  if (/\s/.test(text)) return 'The deposit address must not contain spaces. Copy it again from the Code app.';
  if (!BASE58.test(text)) {
    const bad = [...text].find((c) => !BASE58.test(c));
    return `“${bad}” cannot appear in a Code deposit address (base58 never uses 0, O, I or l, nor punctuation). Copy it again from the Code app.`;
  }
  if (text.length > 64) return 'This is too long for a Code deposit address. Copy it again from the Code app.';
  const length = bs58.decode(text).length;
  if (length !== 32) {
    return `This is not a Code deposit address: it must decode to 32 bytes, this one gives ${length}. Copy it again from the Code app.`;
  }
  return null;
}
