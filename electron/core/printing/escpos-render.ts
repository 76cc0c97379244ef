// A ReceiptDoc to the bytes a network receipt printer prints: ESC/POS for
// Epson and its compatibles, Star's line mode for Star, through
// node-thermal-printer's encoder. Only its buffer is used (getBuffer): the
// library never connects anywhere here (its tcp:// interface is an object
// that would connect on execute(), which is never called); the network
// transport sends the bytes itself, with its own timeouts and errors.
//
// Characters: Windows-1252 (Epson ESC t 16, Star ESC GS t 32), which holds
// the accented Latin letters and "€" on one page. The library's default,
// PC437, has "é" but no "€": for a character its page lacks, it hunts
// through other pages and switches mid-line (to Greek ISO-8859-7 for "€",
// losing "é" after it), and crashes on Star for pages Star lacks. So every
// character is mapped to Windows-1252 here first (accents dropped, "?" as a
// last resort) and the library never has to hunt.
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { PAPER_COLUMNS, type PrinterSettings } from '../../shared/domain/printer';
import type { ReceiptAlign } from '../../shared/domain/receipt-doc';
import { layoutLine, layoutPair, printableText } from '../../shared/domain/receipt-builder';
import type { PrintPayload } from './printer-transport';

export const CHARACTER_SET = CharacterSet.WPC1252;

/**
 * ESC p 0 25 250: a pulse on drawer pin 2, 50 ms on, 500 ms off (Epson's
 * reference values). node-thermal-printer's openCashDrawer sends ESC p 0 and
 * ESC p 1 without the two timing bytes, so a printer reads the next command's
 * first bytes as the timings (a known fault of that command in several
 * ESC/POS libraries); the complete command is sent instead.
 */
export const EPSON_DRAWER_KICK = Buffer.from([0x1b, 0x70, 0x00, 25, 250]);

/** ESC @: clear the buffer and reset every mode, on Epson and Star alike (the library's initHardware, which its types omit). */
const INITIALISE = Buffer.from([0x1b, 0x40]);

/** Windows-1252's characters above Latin-1's C1 range (0x80–0x9F). */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters Unicode does not decompose, and dashes, that have a plain form in the code page. */
const PLAIN_FORMS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', '‐': '-', '‑': '-', '‒': '-', '−': '-', '⁄': '/' };

function inCp1252(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.has(ch);
}

/** A line the printer's code page can print, one byte per column: "ő" → "o", "✓" → "?". */
export function toPrinterText(text: string): string {
  let out = '';
  for (const ch of printableText(text)) {
    if (inCp1252(ch)) {
      out += ch;
      continue;
    }
    const plain = PLAIN_FORMS[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += plain.length === 1 && inCp1252(plain) ? plain : '?';
  }
  return out;
}

/** The bytes of one print job: initialise, kick the drawer when asked, print the doc, cut when the doc says so. */
export function renderEscPos(payload: PrintPayload, settings: PrinterSettings): Buffer {
  const star = settings.model === 'star';
  // The paper decides the width: a doc laid out for other paper is laid out again here.
  const columns = PAPER_COLUMNS[settings.paperWidth];
  const printer = new ThermalPrinter({
    type: star ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: 'tcp://0.0.0.0',
    width: columns,
    characterSet: CHARACTER_SET,
    // Lines arrive laid out to the columns already; the library's own folding would re-break them.
    breakLine: BreakLine.NONE,
    removeSpecialCharacters: false,
  });
  // The constructor has already put the code page in the buffer, before any
  // ESC @ that would reset it: start again with initialise, then the page.
  printer.setBuffer(Buffer.alloc(0));
  printer.add(INITIALISE);
  printer.setCharacterSet(CHARACTER_SET);

  // The drawer first: it opens while the receipt prints.
  if (payload.drawerKick) {
    if (star) printer.openCashDrawer();
    else printer.add(EPSON_DRAWER_KICK);
  }

  const doc = payload.doc;
  if (doc) {
    let align: ReceiptAlign = 'left';
    const setAlign = (next: ReceiptAlign) => {
      if (next === align) return;
      align = next;
      if (next === 'center') printer.alignCenter();
      else if (next === 'right') printer.alignRight();
      else printer.alignLeft();
    };
    for (const line of doc.lines) {
      switch (line.kind) {
        case 'text': {
          setAlign(line.align ?? 'left');
          // Size before emphasis: Epson's ESC ! (the library's size commands) also resets emphasis.
          if (line.size === 'large') printer.setTextQuadArea();
          if (line.bold) printer.bold(true);
          for (const text of layoutLine(line, columns)) printer.println(toPrinterText(text));
          if (line.bold) printer.bold(false);
          if (line.size === 'large') printer.setTextNormal();
          break;
        }
        case 'pair': {
          setAlign('left');
          if (line.bold) printer.bold(true);
          const left = toPrinterText(line.left).trimEnd();
          const right = toPrinterText(line.right).trim();
          const laid = layoutPair(left, right, columns);
          if (laid.length === 1) printer.leftRight(left, right);
          else for (const text of laid) printer.println(text);
          if (line.bold) printer.bold(false);
          break;
        }
        case 'rule':
          setAlign('left');
          printer.drawLine('-');
          break;
        case 'feed':
          for (let i = 0; i < line.lines; i++) printer.newLine();
          break;
      }
    }
    setAlign('left');
    if (doc.cut) printer.cut();
  }
  return Buffer.from(printer.getBuffer());
}
