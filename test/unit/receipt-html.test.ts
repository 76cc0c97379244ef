import { describe, expect, it } from 'vitest';
import { escapeHtml, layOutReceipt, renderReceiptPage, wrap } from '../../electron/core/printing/receipt-html';
import { PAPER_COLUMNS, type PaperWidth } from '../../electron/shared/domain/printer';
import type { ReceiptDoc, ReceiptLine } from '../../electron/shared/domain/receipt-doc';

const doc = (lines: ReceiptLine[], columns = 48, title = 'Receipt for sale #12 (customer copy)'): ReceiptDoc => ({ title, lines, columns, cut: true });

/** The text of each printed line, read back from the page the way a browser shows it (entities decoded). */
function printedLines(html: string): string[] {
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [...html.matchAll(/<div class="line[^"]*">([^<]*)<\/div>/g)].map((m) => decode(m[1]!));
}

const SALE: ReceiptLine[] = [
  { kind: 'text', text: 'Corner Coffee', align: 'center', bold: true, size: 'large' },
  { kind: 'text', text: '12 Market Street, open every day from seven in the morning', align: 'center' },
  { kind: 'rule' },
  { kind: 'pair', left: 'Sale #12', right: '2025-03-14 09:41' },
  { kind: 'pair', left: 'Subtotal', right: '$12.00' },
  { kind: 'pair', left: 'Tip 15 %', right: '$1.80' },
  { kind: 'pair', left: 'Total', right: '$13.80', bold: true },
  { kind: 'text', text: 'Cash $20.00 · change $6.20' },
  { kind: 'feed', lines: 2 },
  { kind: 'text', text: 'Customer copy', align: 'right' },
];

describe('a receipt as a page for a system printer', () => {
  it('prints a header line "<script>" as text, and escapes every text it is given', () => {
    const page = renderReceiptPage(
      doc([
        { kind: 'text', text: '<script>alert(1)</script>' },
        { kind: 'pair', left: '<img src=x onerror=alert(1)>', right: '"$1" & \'2\'' },
      ], 48, '</title><script>bad()</script>'),
      80,
    );
    expect(page.html).not.toMatch(/<script|<img/i);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).toContain('&lt;/title&gt;&lt;script&gt;bad()&lt;/script&gt;');
    expect(printedLines(page.html)[0]).toBe('<script>alert(1)</script>');
    expect(printedLines(page.html).join('\n')).toContain('"$1" & \'2\'');
  });

  it('escapes the five characters that mean something in HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('is self-contained: no script, no link, nothing to fetch, and a policy that forbids them', () => {
    const { html } = renderReceiptPage(doc(SALE), 80);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|<a\s|src=|href=|url\(|@import|:\/\//i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toMatch(/font-family: [^;]*monospace;/);
    expect(html).toMatch(/\.line \{ white-space: pre;/);
  });

  it.each([58, 80] as PaperWidth[])('fits every line of a %i mm receipt in its columns', (paper) => {
    const columns = PAPER_COLUMNS[paper];
    const lines = layOutReceipt(doc(SALE, columns));
    for (const line of lines) expect(Array.from(line.text).length, line.text).toBeLessThanOrEqual(line.large ? columns / 2 : columns);
    expect(lines.find((l) => l.text.startsWith('---'))!.text).toBe('-'.repeat(columns));
    // What the page shows is the layout, line for line.
    expect(printedLines(renderReceiptPage(doc(SALE, columns), paper).html)).toEqual(lines.map((l) => l.text));
  });

  it('puts a label on the left and its value flush right', () => {
    const [total] = layOutReceipt(doc([{ kind: 'pair', left: 'Total', right: '$13.80', bold: true }], 32));
    expect(total).toEqual({ text: `Total${' '.repeat(32 - 5 - 6)}$13.80`, bold: true, large: false });
  });

  it('puts the value under a label too long to share its line, still to the right', () => {
    const lines = layOutReceipt(doc([{ kind: 'pair', left: 'Paid with Code and cash, in two tenders', right: '$113.80' }], 32)).map((l) => l.text);
    expect(lines).toEqual(['Paid with Code and cash, in two', 'tenders                  $113.80']);
    const crowded = layOutReceipt(doc([{ kind: 'pair', left: 'A label of exactly thirty chars', right: '$1.00' }], 32)).map((l) => l.text);
    expect(crowded).toEqual(['A label of exactly thirty chars', `${' '.repeat(27)}$1.00`]);
  });

  it('centres and right-aligns text in the columns, and wraps it at spaces', () => {
    const lines = layOutReceipt(doc(SALE, 32)).map((l) => l.text);
    expect(lines).toContain('12 Market Street, open every day');
    expect(lines).toContain('   from seven in the morning');
    expect(lines).toContain(`${' '.repeat(32 - 'Customer copy'.length)}Customer copy`);
  });

  it('prints a large line at half the columns, double size, and bold when asked', () => {
    const [name] = layOutReceipt(doc(SALE, 32));
    expect(name).toEqual({ text: ' Corner Coffee', bold: true, large: true });
    expect(renderReceiptPage(doc(SALE, 32), 58).html).toContain('<div class="line b l"> Corner Coffee</div>');
  });

  it('breaks a word longer than the line inside it', () => {
    expect(wrap('bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', 16)).toEqual(['bc1qxy2kgdygjrsq', 'tzq2n0yrf2493p83', 'kkfjhx0wlh']);
    expect(wrap('one\ntwo three', 7)).toEqual(['one', 'two', 'three']);
  });

  it('counts characters, not UTF-16 units, so an emoji takes one column', () => {
    const [line] = layOutReceipt(doc([{ kind: 'pair', left: 'Thanks ☕🙂', right: '$1' }], 16));
    expect(Array.from(line!.text)).toHaveLength(16);
  });

  it('drops control characters, which have no glyph and would shift the columns', () => {
    const [line] = layOutReceipt(doc([{ kind: 'text', text: 'Shop\u0007\u001b@name\ttab' }], 32));
    expect(line!.text).toBe('Shop@name tab');
  });

  it('feeds blank lines', () => {
    const lines = layOutReceipt(doc([{ kind: 'text', text: 'a' }, { kind: 'feed', lines: 3 }, { kind: 'text', text: 'b' }], 32));
    expect(lines.map((l) => l.text)).toEqual(['a', '', '', '', 'b']);
  });

  it('makes the page the paper wide and as long as the receipt', () => {
    const short = renderReceiptPage(doc(SALE.slice(0, 3), 32), 58);
    const long = renderReceiptPage(doc(SALE, 32), 58);
    expect(short.widthMicrons).toBe(58_000);
    expect(renderReceiptPage(doc(SALE), 80).widthMicrons).toBe(80_000);
    expect(long.heightMicrons).toBeGreaterThan(short.heightMicrons);
    // Chromium refuses a custom page under 353 microns either way.
    expect(renderReceiptPage(doc([]), 80).heightMicrons).toBeGreaterThanOrEqual(20_000);
  });

  it.each([58, 80] as PaperWidth[])('sizes the font so a full %i mm line stays inside the printable width', (paper) => {
    const columns = PAPER_COLUMNS[paper];
    const { html } = renderReceiptPage(doc(SALE, columns), paper);
    const font = Number(/body \{[^}]*font-size: ([\d.]+)mm/.exec(html)![1]);
    const printable = Number(/\.receipt \{ width: ([\d.]+)mm/.exec(html)![1]);
    expect(printable).toBe(paper === 58 ? 48 : 72);
    // The widest common monospace advance is 0.602 em (DejaVu Sans Mono, Menlo).
    expect(columns * 0.602 * font).toBeLessThanOrEqual(printable);
    expect(columns * 0.602 * font).toBeGreaterThan(printable * 0.95);
  });
});
