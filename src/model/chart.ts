// A chart: one series of numbers over named categories, drawn natively in a PPTX (an editable
// chart) and as vector graphics in a PDF. The content pack writes it on a fact; from the plan on
// it is plain text in one language and numbers.
export const CHART_KINDS = ['bar', 'column', 'line', 'pie'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface ChartSpec {
  kind: ChartKind;
  /** What the chart shows, set above it (never inside the chart, so that it is measured to fit). */
  title: string;
  /** Written after each value, e.g. `%`; '' for none. */
  unit: string;
  categories: string[];
  values: number[];
  /** The value axis's end (bar, column, line); null to fit the data. */
  max: number | null;
  /** Alternative text: what the chart shows, for screen readers and the PPTX/PDF alt text. */
  alt: string;
}

/** A value as labels show it: up to two decimals, no trailing zeros, then the unit. */
export function formatChartValue(value: number, unit: string): string {
  const n = Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
  if (!unit) return n;
  // Units that are words take a space (`5 GW`); symbols and CJK units do not (`50%`, `24小時`).
  return /^[A-Za-z]/.test(unit) ? `${n} ${unit}` : `${n}${unit}`;
}

/** A description of the data for alternative text: `Chinese manufacturers 50%, rest of the world 50%`. */
export function describeChart(
  spec: Pick<ChartSpec, 'categories' | 'values' | 'unit'>,
  listSep: string,
  labelGap: string,
): string {
  return spec.categories
    .map((c, i) => `${c}${labelGap}${formatChartValue(spec.values[i] ?? 0, spec.unit)}`)
    .join(listSep);
}
