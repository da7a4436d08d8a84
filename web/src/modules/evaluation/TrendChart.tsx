// A department's monthly score over the last 12 scored months (ECharts line, tree-shaken), with the grade bands.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import { useEChart } from '../../components/useEChart.ts';
import type { TrendPoint } from './api.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkAreaComponent]);

export function TrendChart({ items, label }: { items: readonly TrendPoint[]; label: string }) {
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: items.map((p) => p.month) },
      yAxis: { type: 'value', min: 0, max: 110 },
      series: [
        {
          type: 'line',
          name: label,
          data: items.map((p) => p.score),
          label: { show: true },
          itemStyle: { color: '#1456b8' },
          markArea: { silent: true, itemStyle: { opacity: 0.08 }, data: [[{ yAxis: 90, itemStyle: { color: '#52c41a' } }, { yAxis: 110 }], [{ yAxis: 0, itemStyle: { color: '#ff4d4f' } }, { yAxis: 60 }]] },
        },
      ],
    }),
    [items, label],
  );
  const ref = useEChart(option);

  return <div ref={ref} role="img" aria-label={label} data-testid="evaluation-trend" style={{ height: 240, width: '100%' }} />;
}
