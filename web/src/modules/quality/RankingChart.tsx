// The departments' scores as a horizontal bar chart (ECharts, tree-shaken), best at the top.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { useEChart } from '../../components/useEChart.ts';
import type { DepartmentRank } from './api.ts';

echarts.use([BarChart, GridComponent, TooltipComponent]);

export function RankingChart({ items, label }: { items: readonly DepartmentRank[]; label: string }) {
  const option = useMemo(() => {
    const top = items.slice(0, 15).reverse();
    return {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', data: top.map((d) => d.departmentName), axisLabel: { width: 140, overflow: 'truncate' } },
      series: [{ type: 'bar', barMaxWidth: 22, name: label, data: top.map((d) => d.score), label: { show: true, position: 'right' }, itemStyle: { color: '#1677ff' } }],
    };
  }, [items, label]);
  const ref = useEChart(option);

  return <div ref={ref} className="quality-chart" role="img" aria-label={label} data-testid="quality-chart" style={{ height: Math.max(160, Math.min(items.length, 15) * 28 + 24) }} />;
}
