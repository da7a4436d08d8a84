// The 哈密 prefecture map coloured by each county's overdue rate (running cases past the statutory limit), on the
// same ECharts instance and map registration as the dashboard (web/src/hamiMap.ts). Clicking a county picks it.
import { useMemo } from 'react';
import type { MapSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useEChart } from '../../components/useEChart.ts';
import { useI18n } from '../../context.tsx';
import { HAMI_MAP, ensureHamiMap } from '../../hamiMap.ts';
import type { CountyRow } from './api.ts';
import { percent } from './parts.tsx';

type MapOption = ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

export function OverdueMap({ counties, selected, onPick }: { counties: CountyRow[]; selected: string | null; onPick: (code: string | null) => void }) {
  const { t } = useI18n();
  // the option cannot be built when the map data fails to load: that error is shown above an empty canvas
  const built = useMemo((): { option: MapOption | null; codes: Map<string, string>; error: unknown } => {
    try {
      const features = ensureHamiMap();
      const byCode = new Map(counties.map((c) => [c.code, c]));
      const nameToCode = new Map(features.map((f) => [f.name, f.id.slice(0, 6)]));
      const data = features.map((f) => {
        const c = byCode.get(f.id.slice(0, 6));
        return { name: f.name, value: c && c.running > 0 ? Math.round(c.overdueRate * 1000) / 10 : undefined, selected: selected === f.id.slice(0, 6) };
      });
      const max = Math.max(10, ...data.map((d) => d.value ?? 0));
      const option: MapOption = {
        tooltip: {
          trigger: 'item',
          formatter: (params) => {
            const p = Array.isArray(params) ? params[0] : params;
            const c = p ? byCode.get(nameToCode.get(p.name ?? '') ?? '') : undefined;
            if (!p) return '';
            if (!c || c.running === 0) return t('supervision.map.noData', { name: p.name ?? '' });
            return t('supervision.map.tooltip', { name: p.name ?? '', rate: percent(c.overdueRate), running: c.running, overdue: c.overdue, yellow: c.counts.yellow ?? 0, red: c.counts.red ?? 0 });
          },
        },
        visualMap: {
          type: 'continuous',
          min: 0,
          max,
          left: 12,
          bottom: 12,
          calculable: true,
          text: [t('supervision.map.high'), t('supervision.map.low')],
          formatter: (v) => `${Number(v).toFixed(0)}%`,
          inRange: { color: ['#fff3e0', '#fbb36a', '#e8590c', '#a61e1e'] },
          itemHeight: 100,
        },
        series: [
          {
            type: 'map',
            map: HAMI_MAP,
            roam: false,
            layoutCenter: ['50%', '50%'],
            layoutSize: '95%',
            label: { show: true, color: '#1f2d3d', fontSize: 12, textBorderColor: '#fff', textBorderWidth: 2 },
            itemStyle: { areaColor: '#e9edf3', borderColor: '#ffffff', borderWidth: 1.5 },
            emphasis: { label: { show: true, color: '#000' }, itemStyle: { areaColor: '#f5c342' } },
            select: { label: { show: true }, itemStyle: { borderColor: '#1456b8', borderWidth: 3 } },
            selectedMode: 'single',
            data,
          },
        ],
      };
      return { option, codes: nameToCode, error: null };
    } catch (error) {
      return { option: null, codes: new Map(), error };
    }
  }, [t, counties, selected]);

  const ref = useEChart(built.option, {
    onClick: (params) => {
      const code = built.codes.get(params.name ?? '') ?? null;
      onPick(code === selected ? null : code);
    },
  });

  return (
    <>
      {built.error ? <ErrorAlert error={built.error} /> : null}
      <div id="supervision-map" ref={ref} className="hami-map" role="img" aria-label={t('supervision.map.title')} data-counties={counties.filter((c) => c.running > 0).length} />
    </>
  );
}
