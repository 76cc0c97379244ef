// A Code deposit address is a base58 public key of 32 bytes (SPEC §3). The
// main process checks it too; checking here gives the owner the message while
// typing, before anything is sent.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes base58 (Bitcoin alphabet); null when a character is not in it. */
export function decodeBase58(text: string): Uint8Array | null {
  const bytes: number[] = []; // little-endian
  for (const char of text) {
    let carry = ALPHABET.indexOf(char);
    if (carry < 0) return null;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  // Each leading "1" is a leading zero byte.
  for (const char of text) {
    if (char !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** What is wrong with a typed deposit address, or null when it is fine (empty means "none"). */
export function depositAddressProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  if (/\s/.test(text)) return 'The deposit address must not contain spaces. Copy it again from the Code app.';
  const bad = [...text].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) {
    return `“${bad}” cannot appear in a Code deposit address (base58 never uses 0, O, I or l, nor punctuation). Copy it again from the Code app.`;
  }
  const bytes = decodeBase58(text);
  if (!bytes || bytes.length !== 32) {
    return `This is not a Code deposit address: it must decode to 32 bytes, this one gives ${bytes?.length ?? 0}. Copy it again from the Code app.`;
  }
  return null;
}
