import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../support/escpos-printer';

// The stand-in printer's decoder, on bytes written by hand from Epson's
// ESC/POS reference and on node-thermal-printer's own output: what the
// receipt tests read is what a printer would print.

const bytes = (...parts: Array<number[] | string>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decodeEscPos: hand-written ESC/POS', () => {
  it('reads initialise, alignment, emphasis, size, text lines, a feed and cut', () => {
    const d = decodeEscPos(
      bytes(
        [0x1b, 0x40], // ESC @
        [0x1b, 0x61, 1], // ESC a 1
        [0x1b, 0x45, 1], // ESC E 1
        [0x1d, 0x21, 0x11], // GS ! 0x11
        'SHOP\n',
        [0x1d, 0x21, 0x00, 0x1b, 0x45, 0], // GS ! 0, ESC E 0
        [0x1b, 0x61, 0x30], // ESC a '0' (the ASCII form of 0)
        'Total   $4.20\nThanks\n',
        [0x1b, 0x64, 3], // ESC d 3
        [0x1d, 0x56, 66, 0], // GS V 66 0
      ),
    );
    expect(d.lines).toEqual(['SHOP', 'Total   $4.20', 'Thanks']);
    expect(d.text).toBe('SHOP\nTotal   $4.20\nThanks');
    expect(d.commands).toEqual([
      { name: 'init' },
      { name: 'align', value: 'center' },
      { name: 'bold', value: 1 },
      { name: 'size', value: '2x2' },
      { name: 'size', value: '1x1' },
      { name: 'bold', value: 0 },
      { name: 'align', value: 'left' },
      { name: 'feed', value: 3 },
      { name: 'cut', value: 'partial' },
    ]);
  });

  it('reads a drawer kick (ESC p m t1 t2) with its pin and timings', () => {
    expect(decodeEscPos(bytes([0x1b, 0x70, 0, 25, 250])).commands).toEqual([{ name: 'drawer-kick', value: 'pin 2, on 50 ms, off 500 ms' }]);
    expect(decodeEscPos(bytes([0x1b, 0x70, 0x31, 50, 50])).commands).toEqual([{ name: 'drawer-kick', value: 'pin 5, on 100 ms, off 100 ms' }]);
  });

  it('reads the real-time status query DLE EOT n', () => {
    expect(decodeEscPos(bytes([0x10, 0x04, 4], 'ok\n')).commands).toEqual([{ name: 'status-query', value: 4 }]);
  });

  it('reads both forms of GS V: a cut alone, and feed-then-cut', () => {
    const d = decodeEscPos(bytes('a\n', [0x1d, 0x56, 0], 'b\n', [0x1d, 0x56, 65, 3], 'c\n', [0x1d, 0x56, 49]));
    expect(d.lines).toEqual(['a', 'b', 'c']);
    expect(d.commands).toEqual([
      { name: 'cut', value: 'full' },
      { name: 'cut', value: 'full' },
      { name: 'cut', value: 'partial' },
    ]);
  });

  it('decodes text in the code page ESC t selected (PC437 by default, Windows-1252 as page 16)', () => {
    const d = decodeEscPos(bytes('Caf', [0x82], '\n', [0x1b, 0x74, 16], 'Caf', [0xe9], ' ', [0x80], '5\n', [0x1b, 0x40], [0x82], '\n'));
    expect(d.lines).toEqual(['Café', 'Café €5', 'é']);
    expect(d.commands).toEqual([{ name: 'codepage', value: 16 }, { name: 'init' }]);
  });

  it('records a command it does not know by its bytes, never drops it', () => {
    const d = decodeEscPos(bytes([0x1b, 0x5a], 'x\n', [0x1d, 0x28], [0x07], 'y\n'));
    expect(d.commands.map((c) => c.name)).toEqual(['unknown:1b5a', 'unknown:1d28', 'unknown:07']);
    expect(d.lines).toEqual(['x', 'y']);
  });

  it('says what a job left unprinted: text with no line feed, a command cut short', () => {
    expect(decodeEscPos(bytes('done\n', 'no newline')).commands).toEqual([{ name: 'unprinted', value: 'no newline' }]);
    expect(decodeEscPos(bytes('x\n', [0x1b, 0x70, 0])).commands).toEqual([{ name: 'truncated', value: '1b7000' }]);
    expect(decodeEscPos(bytes([0x1d, 0x56, 66])).commands).toEqual([{ name: 'truncated', value: '1d5642' }]);
  });

  it('drops text that ESC @ clears before its line feed, as the printer does', () => {
    const d = decodeEscPos(bytes('lost', [0x1b, 0x40], 'kept\n'));
    expect(d.lines).toEqual(['kept']);
  });

  it('prints an empty line for each bare LF', () => {
    expect(decodeEscPos(bytes('a\n\n\nb\n')).lines).toEqual(['a', '', '', 'b']);
  });
});

describe("decodeEscPos: node-thermal-printer's own output", () => {
  const epson = () => new ThermalPrinter({ type: PrinterTypes.EPSON, interface: 'tcp://0.0.0.0', width: 32, characterSet: CharacterSet.WPC1252, breakLine: BreakLine.NONE });

  it('reads what the library writes for the calls the renderer makes', () => {
    const p = epson();
    p.alignCenter();
    p.setTextQuadArea();
    p.bold(true);
    p.println('Café');
    p.bold(false);
    p.setTextNormal();
    p.alignLeft();
    p.leftRight('Total', '12,50 €');
    p.drawLine('-');
    p.setTextSize(1, 1);
    p.println('big');
    p.newLine();
    p.cut();
    const d = decodeEscPos(p.getBuffer());
    expect(d.lines).toEqual(['Café', `Total${' '.repeat(20)}12,50 €`, '-'.repeat(32), 'big', '']);
    expect(d.commands).toEqual([
      { name: 'codepage', value: 16 },
      { name: 'align', value: 'center' },
      { name: 'size', value: '2x2' },
      { name: 'bold', value: 0 },
      { name: 'bold', value: 1 },
      { name: 'bold', value: 0 },
      { name: 'size', value: '1x1' },
      { name: 'bold', value: 0 },
      { name: 'align', value: 'left' },
      { name: 'size', value: '2x2' },
      { name: 'feed', value: 4 },
      { name: 'feed', value: 4 },
      { name: 'cut', value: 'full' },
      { name: 'init' },
    ]);
  });

  it("shows why the renderer does not use the library's Epson drawer kick: its ESC p lacks the timing bytes", () => {
    const p = epson();
    p.openCashDrawer();
    p.println('after');
    // ESC p 0, ESC p 1: the printer takes the second ESC p as the first one's timings, and prints the stray 0x01.
    const d = decodeEscPos(p.getBuffer());
    expect(d.commands).toEqual([
      { name: 'codepage', value: 16 },
      { name: 'drawer-kick', value: 'pin 2, on 54 ms, off 224 ms' },
      { name: 'unknown:01' },
    ]);
  });

  it('reads Star line-mode output when told the printer is a Star', () => {
    const p = new ThermalPrinter({ type: PrinterTypes.STAR, interface: 'tcp://0.0.0.0', width: 32, characterSet: CharacterSet.WPC1252, breakLine: BreakLine.NONE });
    p.alignCenter();
    p.bold(true);
    p.setTextQuadArea();
    p.println('Café');
    p.setTextNormal();
    p.bold(false);
    p.openCashDrawer();
    p.cut();
    const d = decodeEscPos(p.getBuffer(), { model: 'star' });
    expect(d.lines).toEqual(['Café']);
    expect(d.commands).toEqual([
      { name: 'codepage', value: 32 },
      { name: 'align', value: 'center' },
      { name: 'bold', value: 1 },
      { name: 'size', value: '2x2' },
      { name: 'size', value: '1x1' },
      { name: 'bold', value: 0 },
      { name: 'drawer-pulse', value: '11/55' },
      { name: 'drawer-kick', value: 'drawer 1' },
      { name: 'feed', value: 1 },
      { name: 'feed', value: 1 },
      { name: 'cut', value: 'full' },
      { name: 'init' },
    ]);
  });
});
