// A department's monthly score over the last 12 scored months (ECharts line, tree-shaken), with the grade bands.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { TrendPoint } from './api.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkAreaComponent, CanvasRenderer]);

export function TrendChart({ items, label }: { items: readonly TrendPoint[]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(
      {
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
      },
      { notMerge: true },
    );
  }, [items, label]);

  return <div ref={ref} role="img" aria-label={label} data-testid="evaluation-trend" style={{ height: 240, width: '100%' }} />;
}
