/**
 * The scan code of one Code payment, as Code's own views draw it: SVG path
 * data for a square of `size` units (the white centre, arcs and dots of a
 * Kik code), computed in the main process from the payment request's
 * payload, so the screens draw it with no WebAssembly and no network.
 */
export interface ScanCodeDrawing {
  size: number;
  center: string;
  arcs: string[];
  dots: string[];
}

export interface ScanCodeView extends ScanCodeDrawing {
  tenderId: number;
  /** The payment request the code encodes. */
  intentId: string;
}
