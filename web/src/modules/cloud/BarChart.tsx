// A grouped bar chart (ECharts, tree-shaken) for the cloud pages: host utilisation, before/after figures.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { useEChart } from '../../components/useEChart.ts';

echarts.use([Bars, GridComponent, LegendComponent, TooltipComponent]);

export interface Series {
  name: string;
  data: number[];
  color: string;
}

export function BarChart({ categories, series, label, max, unit = '', testId, height = 260 }: { categories: string[]; series: Series[]; label: string; max?: number; unit?: string; testId: string; height?: number }) {
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)}${unit}` },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: 'value', min: 0, ...(max === undefined ? {} : { max }), axisLabel: { formatter: `{value}${unit}` } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, itemStyle: { color: s.color }, barMaxWidth: 28 })),
    }),
    [categories, series, max, unit],
  );
  const ref = useEChart(option);
  return <div ref={ref} role="img" aria-label={label} data-testid={testId} style={{ height, width: '100%' }} />;
}

/** Green under 60 %, amber to 85 %, red above: how full a host, pool or quota is. */
export const fullness = (pct: number) => (pct >= 85 ? '#ff4d4f' : pct >= 60 ? '#faad14' : '#52c41a');
