// One ECharts canvas bound to a React element: created on mount (and again when the theme changes), given each new
// option, resized with its container, disposed on unmount. Every chart in the console draws through this hook, so
// the lifecycle is written once. Chart and component types stay tree-shaken: the caller registers what it draws
// with `echarts.use([...])` next to the option it builds.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import type { ECElementEvent, EChartsCoreOption, EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([CanvasRenderer]);

export type { EChartsCoreOption };

export interface UseEChartOptions {
  /** A registered theme name ('dark' for the LED big screen); changing it draws the chart anew. */
  theme?: string;
  /** Replace the previous option instead of merging into it (the default: a new option describes the whole chart). */
  notMerge?: boolean;
  /** Called on a click on a series item, edge or map area; may change between renders without rebinding. */
  onClick?: (params: ECElementEvent) => void;
}

/**
 * Draws `option` into the returned ref's element. Pass a memoised option (useMemo): the chart is updated whenever
 * the option's identity changes. `null` keeps the canvas empty until there is something to draw.
 */
export function useEChart<E extends HTMLElement = HTMLDivElement>(option: EChartsCoreOption | null, { theme, notMerge = true, onClick }: UseEChartOptions = {}) {
  const ref = useRef<E>(null);
  const chartRef = useRef<EChartsType | null>(null);
  // what the live instance has drawn, so a fresh instance (mount, theme change) draws the latest option once
  const drawn = useRef<EChartsCoreOption | null>(null);
  const latest = useRef({ option, notMerge, onClick });
  latest.current = { option, notMerge, onClick };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, theme, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (params) => latest.current.onClick?.(params as ECElementEvent));
    const { option: current, notMerge: replace } = latest.current;
    if (current) chart.setOption(current, { notMerge: replace });
    drawn.current = current;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
      drawn.current = null;
    };
  }, [theme]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || !option || option === drawn.current) return;
    chart.setOption(option, { notMerge });
    drawn.current = option;
  }, [option, notMerge]);

  return ref;
}
