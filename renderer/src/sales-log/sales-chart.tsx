import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './sales-chart.css';
import type { SalesChartData } from './use-sales-log';
import { formatMoney } from '../../../electron/shared/domain/money';
import { formatCount } from '../common/sale-labels';
import { dayMonth, shortDate } from '../common/shop-time';

const HEIGHT = 230;
const FONT = '16px system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif';
const AXIS = { stroke: '#374151', font: FONT, labelFont: `600 ${FONT}`, grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#9ca3af', width: 1 } };
/** One line per currency, dark enough on white (≥ 4.5:1) and apart for colour-blind eyes. */
const LINE_COLOURS = ['#1746a2', '#b45309', '#0b6b30', '#7e22ce', '#a61b1b'];
const STEPS = [1, 2, 3, 4, 6, 7, 12, 14, 28, 30, 60, 91, 182, 365];
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

interface SalesChartProps {
  chart: SalesChartData | null;
  /** The chart of a range with both ends could not be read (the error is shown by the filters). */
  failed?: boolean;
}

/**
 * Paid amount per bucket (a line per currency) over the number of sales
 * (bars), one bucket per hour for a day or per day for longer ranges. The x
 * axis is the bucket's index, labelled with the main process's shop-time
 * label, so a 23- or 25-hour DST day is drawn as it was lived.
 */
export function SalesChart({ chart, failed = false }: SalesChartProps) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || !chart || chart.buckets.length === 0) return;
    const { buckets, unit } = chart;
    // Short on the axis ("23 Nov"), with the weekday in the legend ("Mon 23 Nov").
    const ticks = buckets.map((b) => (unit === 'day' ? dayMonth(b.label) : b.label));
    const labels = buckets.map((b) => (unit === 'day' ? shortDate(b.label) : b.label));
    const currencies = [...new Set(buckets.flatMap((b) => Object.keys(b.paid)))].sort();
    const single = currencies.length === 1 ? currencies[0]! : null;
    const data: uPlot.AlignedData = [
      buckets.map((_, i) => i),
      buckets.map((b) => b.count),
      ...currencies.map((c) => buckets.map((b) => (b.paid[c] ?? 0) / 100)),
    ];
    const maxOf = (values: number[]) => Math.max(0, ...values);

    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      padding: [12, 8, 0, 8],
      cursor: { points: { size: 10 }, drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: { time: false, range: [-0.5, buckets.length - 0.5] },
        count: { range: () => [0, Math.max(4, maxOf(buckets.map((b) => b.count)) * 1.15)] },
        money: { range: () => [0, Math.max(1, maxOf((data.slice(2) as number[][]).flat()) * 1.15)] },
      },
      axes: [
        {
          ...AXIS,
          scale: 'x',
          space: unit === 'day' ? 72 : 56,
          incrs: STEPS,
          values: (_u, splits) => splits.map((i) => ticks[i] ?? ''),
        },
        ...(currencies.length
          ? [
              {
                ...AXIS,
                scale: 'money',
                label: single ? `Paid (${single.toUpperCase()})` : 'Paid',
                size: 96,
                values: (_u: uPlot, splits: number[]) => splits.map((v) => (single ? compactMoney(v, single) : compactNumber(v))),
              },
            ]
          : []),
        { ...AXIS, scale: 'count', side: 1, label: 'Sales', size: 64, incrs: COUNT_STEPS, grid: { show: false }, values: (_u, splits) => splits.map(formatCount) },
      ],
      series: [
        { label: unit === 'day' ? 'Day' : 'Hour', value: (_u, v) => (v === null || v === undefined ? '—' : (labels[v] ?? '—')) },
        {
          label: 'Sales',
          scale: 'count',
          fill: 'rgba(156, 163, 175, 0.45)',
          stroke: '#6b7280',
          width: 1,
          paths: uPlot.paths.bars?.({ size: [0.7, 64] }),
          points: { show: false },
          value: (_u, v) => (v === null || v === undefined ? '—' : formatCount(v)),
        },
        ...currencies.map((c, i) => ({
          label: `Paid ${c.toUpperCase()}`,
          scale: 'money',
          stroke: LINE_COLOURS[i % LINE_COLOURS.length]!,
          width: 3,
          points: { show: true, size: 8, fill: '#fff' },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : formatMoney(Math.round(v * 100), c)),
        })),
      ],
    };

    const plot = new uPlot(opts, data, el);
    // Sized to its container: follows the window, and skips the moments the screen is hidden (width 0).
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [chart]);

  const range = chart?.buckets.length ? describeRange(chart) : null;
  return (
    <section className="log-panel log-chart-panel" aria-labelledby="log-chart-title">
      <h2 id="log-chart-title" className="log-panel-title">
        {chart?.unit === 'hour' ? 'Sales per hour' : 'Sales per day'}
      </h2>
      {chart === null ? (
        <p className="hint">{failed ? 'Not available.' : 'Choose both dates to see the chart.'}</p>
      ) : (
        <div ref={host} className="log-chart" data-testid="log-chart" data-unit={chart.unit} role="img" aria-label={range ?? 'No data'} />
      )}
    </section>
  );
}

function describeRange(chart: SalesChartData): string {
  const first = chart.buckets[0]!;
  const last = chart.buckets[chart.buckets.length - 1]!;
  const sales = chart.buckets.reduce((n, b) => n + b.count, 0);
  const span = chart.unit === 'day' ? `${first.label} to ${last.label}` : `the day, ${first.label} to ${last.label}`;
  return `Chart of paid amounts and ${formatCount(sales)} sales per ${chart.unit}, ${span}.`;
}

const compactMoneyFormats = new Map<string, Intl.NumberFormat>();
function compactMoney(value: number, currency: string): string {
  let f = compactMoneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), notation: 'compact', maximumFractionDigits: 1 });
    } catch {
      f = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
    }
    compactMoneyFormats.set(currency, f);
  }
  return f.format(value);
}

const compactNumberFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
function compactNumber(value: number): string {
  return compactNumberFormat.format(value);
}
