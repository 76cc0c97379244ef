/**
 * A receipt as a page for a system printer (Electron's silent print): the
 * doc's lines laid out in the same columns a network printer prints, in a
 * monospace font sized so those columns fill the paper's printable width.
 * The page is self-contained: no script, no link, no image, no font to
 * fetch, and a Content-Security-Policy that forbids them anyway, so a
 * header line typed in Settings can only ever print as text.
 */
import type { PaperWidth } from '../../shared/domain/printer';
import type { ReceiptAlign, ReceiptDoc } from '../../shared/domain/receipt-doc';

/** A line as it prints: exactly what the page shows, already wrapped and aligned. */
export interface PrintedLine {
  text: string;
  bold: boolean;
  /** Double width and height, as ESC/POS prints a large line: half the columns. */
  large: boolean;
}

export interface ReceiptPage {
  html: string;
  /** The page size to print on, in microns (Electron's pageSize unit). */
  widthMicrons: number;
  heightMicrons: number;
}

/**
 * The width a thermal head prints across, in mm: 384 dots on 58 mm paper and
 * 576 on 80 mm, at 203 dpi. The page is the paper's width; the text stays
 * inside this, centred, so a driver that cannot print to the edge clips nothing.
 */
const PRINTABLE_MM: Record<PaperWidth, number> = { 58: 48, 80: 72 };
/**
 * A monospace glyph's advance as a fraction of the font size: 0.6 in Courier
 * New and Liberation Mono, 0.602 in DejaVu Sans Mono and Menlo, less in
 * Consolas. Sizing for 0.61 keeps a full line inside the printable width
 * whichever of them the system has.
 */
const ADVANCE = 0.61;
const LINE_HEIGHT = 1.25;
/** Blank paper above and below the text, so the tear bar or cutter takes none of it. */
const PAD_MM = 4;
const FONTS = `"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, "Courier New", monospace`;

/** Control characters have no glyph and would shift the columns; a tab becomes a space. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find them.
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** Code points, not UTF-16 units: an emoji is one character wide on the page, not two. */
const chars = (text: string) => Array.from(text);
const width = (text: string) => chars(text).length;

/** Breaks text into lines of at most `columns` characters, at spaces where it can, inside a word where it must. */
export function wrap(text: string, columns: number): string[] {
  const out: string[] = [];
  for (const paragraph of clean(text).split(/\r?\n|\r/)) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      let rest = chars(word);
      if (line && width(line) + 1 + rest.length <= columns) {
        line += ` ${word}`;
        continue;
      }
      if (line) out.push(line);
      while (rest.length > columns) {
        out.push(rest.slice(0, columns).join(''));
        rest = rest.slice(columns);
      }
      line = rest.join('');
    }
    out.push(line);
  }
  return out;
}

function align(text: string, columns: number, how: ReceiptAlign): string {
  const gap = columns - width(text);
  if (gap <= 0 || how === 'left') return text;
  const left = how === 'right' ? gap : Math.floor(gap / 2);
  return ' '.repeat(left) + text;
}

/** The doc's lines as they print, each at most its width in characters (half the columns for a large line). */
export function layOutReceipt(doc: ReceiptDoc): PrintedLine[] {
  const columns = Math.max(1, Math.floor(doc.columns));
  const out: PrintedLine[] = [];
  for (const line of doc.lines) {
    switch (line.kind) {
      case 'text': {
        const large = line.size === 'large';
        const room = large ? Math.max(1, Math.floor(columns / 2)) : columns;
        for (const text of wrap(line.text, room)) out.push({ text: align(text, room, line.align ?? 'left'), bold: !!line.bold, large });
        break;
      }
      case 'pair': {
        const bold = !!line.bold;
        const right = wrap(line.right, columns).map((r) => r.trim());
        const left = wrap(line.left, columns);
        const last = left.pop() ?? '';
        const value = right.shift() ?? '';
        for (const text of left) out.push({ text, bold, large: false });
        // The value goes on the label's last line when both fit, as on a till slip; otherwise under it, to the right.
        if (width(last) + 1 + width(value) <= columns) {
          out.push({ text: last + ' '.repeat(columns - width(last) - width(value)) + value, bold, large: false });
        } else {
          out.push({ text: last, bold, large: false });
          out.push({ text: align(value, columns, 'right'), bold, large: false });
        }
        for (const text of right) out.push({ text: align(text, columns, 'right'), bold, large: false });
        break;
      }
      case 'rule':
        out.push({ text: '-'.repeat(columns), bold: false, large: false });
        break;
      case 'feed':
        for (let i = 0; i < Math.max(0, Math.floor(line.lines)); i++) out.push({ text: '', bold: false, large: false });
        break;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Millimetres with at most three decimals, for CSS. */
const mm = (value: number) => `${Number(value.toFixed(3))}mm`;

/** The receipt as a printable page for paper of this width. */
export function renderReceiptPage(doc: ReceiptDoc, paperWidth: PaperWidth): ReceiptPage {
  const lines = layOutReceipt(doc);
  const printable = PRINTABLE_MM[paperWidth];
  const fontMm = printable / (Math.max(1, Math.floor(doc.columns)) * ADVANCE);
  const lineMm = fontMm * LINE_HEIGHT;
  // Each line's height is fixed, so the page is exactly as long as the receipt: a roll printer feeds no blank page after it.
  const textMm = lines.reduce((sum, line) => sum + (line.large ? 2 : 1) * lineMm, 0);
  const heightMm = Math.max(textMm + 2 * PAD_MM, 20);
  const body = lines
    .map((line) => {
      const classes = [line.bold ? 'b' : '', line.large ? 'l' : ''].filter(Boolean).join(' ');
      return `<div class="${classes ? `line ${classes}` : 'line'}">${escapeHtml(line.text)}</div>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(clean(doc.title))}</title>
<style>
@page { size: ${mm(paperWidth)} ${mm(heightMm)}; margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { font-family: ${FONTS}; font-size: ${mm(fontMm)}; }
.receipt { width: ${mm(printable)}; margin: 0 auto; padding: ${mm(PAD_MM)} 0; overflow: hidden; }
.line { white-space: pre; overflow: hidden; height: ${mm(lineMm)}; line-height: ${mm(lineMm)}; }
.b { font-weight: bold; }
.l { font-size: 2em; height: ${mm(2 * lineMm)}; line-height: ${mm(2 * lineMm)}; }
</style>
</head>
<body><div class="receipt">
${body}
</div></body>
</html>
`;
  return { html, widthMicrons: paperWidth * 1000, heightMicrons: Math.ceil(heightMm * 1000) };
}
