// A receipt as lines, before any printer: the ESC/POS renderer turns it into
// bytes for a network printer, the system printer path into a page. Built
// from the ledger's facts in shared, so what a receipt says is written once.

export type ReceiptAlign = 'left' | 'center' | 'right';

export type ReceiptLine =
  /** One line of text (the renderer wraps it to the paper's columns). */
  | { kind: 'text'; text: string; align?: ReceiptAlign; bold?: boolean; size?: 'normal' | 'large' }
  /** A label on the left and a value on the right ("Tip 15 %      $1.80"). */
  | { kind: 'pair'; left: string; right: string; bold?: boolean }
  /** A dashed rule across the paper. */
  | { kind: 'rule' }
  | { kind: 'feed'; lines: number };

export interface ReceiptDoc {
  /** For logs and screens: "Receipt for sale #12 (customer copy)". */
  title: string;
  lines: ReceiptLine[];
  /** Characters per line it was laid out for. */
  columns: number;
  /** Cut the paper after it (receipts and reports do; a drawer kick prints nothing). */
  cut: boolean;
}
