import './scan-code-image.css';
import { useId } from 'react';
import type { ScanCodeDrawing } from '../../../electron/shared/contract';

/** The Code logo's dots, cut out of the code's white centre (Code's views, CodeRequestPayment.vue). */
const LOGO = { maxX: 93.51064, maxY: 94.21016, scale: 0.5 };
const LOGO_DOTS: ReadonlyArray<readonly [cx: number, cy: number, r: number]> = [
  [24.6985, 25.0039, 10.3001], [69.0534, 25.0039, 10.3001], [69.0534, 69.3591, 10.3001], [24.6985, 69.3591, 10.3001],
  [24.9531, 47.2068, 10.3001], [46.9016, 25.1057, 10.3001], [46.9016, 69.3591, 10.3001], [46.901, 87.2844, 6.92572],
  [46.901, 6.92572, 6.92572], [6.92572, 47.2069, 6.92572], [86.58492, 47.2069, 6.92572],
];

/**
 * A Code scan code, drawn from the path data the main process computed for
 * one payment request (SPEC §7): the same picture on the till and on the
 * customer display, with nothing loaded from Code and no WebAssembly here.
 */
export function ScanCodeImage({ code, intentId, className }: { code: ScanCodeDrawing; intentId: string; className?: string }) {
  const mask = useId();
  const offset = (code.size - LOGO.maxX * LOGO.scale) / 2;
  const offsetY = (code.size - LOGO.maxY * LOGO.scale) / 2;
  return (
    <svg
      className={className ? `scan-code ${className}` : 'scan-code'}
      data-testid="scan-code"
      data-intent-id={intentId}
      viewBox={`0 0 ${code.size + 20} ${code.size + 20}`}
      role="img"
      aria-label="Code payment code: the customer scans it with the Code app"
    >
      <circle cx={(code.size + 20) / 2} cy={(code.size + 20) / 2} r={(code.size + 20) / 2} fill="#45464E" />
      <mask id={mask}>
        <rect width="100%" height="100%" fill="white" />
        <g transform={`translate(${offset}, ${offsetY}) scale(${LOGO.scale}) scale(0.9) translate(5, 5)`}>
          {LOGO_DOTS.map(([cx, cy, r]) => (
            <circle key={`${cx},${cy}`} cx={cx} cy={cy} r={r} fill="black" />
          ))}
        </g>
      </mask>
      <g transform="translate(10, 10)" mask={`url(#${mask})`}>
        <path d={code.center} fill="white" />
        {code.arcs.map((d, i) => (
          <path key={`a${i}`} d={d} stroke="white" strokeLinecap="round" strokeWidth={6.8} fill="none" />
        ))}
        {code.dots.map((d, i) => (
          <path key={`d${i}`} d={d} fill="white" />
        ))}
      </g>
    </svg>
  );
}
