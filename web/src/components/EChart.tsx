// A chart element for pages that build an ECharts option and only need it drawn: the box, its accessible name
// and its test id, with the canvas lifecycle from useEChart.
import type { CSSProperties } from 'react';
import { useEChart, type EChartsCoreOption, type UseEChartOptions } from './useEChart.ts';

export interface EChartProps extends UseEChartOptions {
  /** A memoised option; null leaves the canvas empty. */
  option: EChartsCoreOption | null;
  /** Height in px or any CSS length; the width follows the container. */
  height: CSSProperties['height'];
  /** The accessible name (role="img"); without it the chart is decorative to a screen reader. */
  label?: string;
  testId?: string;
  className?: string;
}

export function EChart({ option, height, label, testId, className, ...opts }: EChartProps) {
  const ref = useEChart(option, opts);
  return <div ref={ref} className={className} role={label ? 'img' : undefined} aria-label={label} data-testid={testId} style={{ width: '100%', height }} />;
}
