// /bigscreen — the LED big screen (1920×1080, dark, Chinese): today's acceptances and conclusions by county (ECharts),
// the latest warnings scrolling, the latest published ranking; live over server-sent events.
import { useEffect, useMemo, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { useEChart } from '../../components/useEChart.ts';
import { openScreenStream, type ScreenSnapshot } from './api.ts';
import { usePublicText } from './messages.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent]);

const LEVEL_COLOURS = { prompt: '#5cc8ff', yellow: '#fadb14', red: '#ff4d4f', irregular: '#d46bff' } as const;

function CountyChart({ s, accepted, concluded }: { s: ScreenSnapshot; accepted: string; concluded: string }) {
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      textStyle: { fontSize: 18 },
      legend: { top: 0, textStyle: { fontSize: 18, color: '#cfe3ff' } },
      grid: { left: 16, right: 16, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: s.counties.map((c) => c.name), axisLabel: { fontSize: 18, color: '#cfe3ff' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#8fb3e0' }, splitLine: { lineStyle: { color: '#1c3a66' } } },
      series: [
        { name: accepted, type: 'bar', data: s.counties.map((c) => c.accepted), itemStyle: { color: '#3aa0ff' }, label: { show: true, position: 'top', color: '#fff', fontSize: 18 } },
        { name: concluded, type: 'bar', data: s.counties.map((c) => c.concluded), itemStyle: { color: '#36cfc9' }, label: { show: true, position: 'top', color: '#fff', fontSize: 18 } },
      ],
    }),
    [s, accepted, concluded],
  );
  // merged, not replaced, as each live snapshot arrives: the bars move instead of being redrawn from nothing
  const ref = useEChart(option, { theme: 'dark', notMerge: false });
  return <div ref={ref} className="screen-chart" role="img" aria-label={accepted} />;
}

export default function BigScreen() {
  const t = usePublicText();
  const [s, setS] = useState<ScreenSnapshot | null>(null);
  const [live, setLive] = useState(false);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => openScreenStream(setS, setLive), []);
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    document.title = t('pub.screen.title');
  }, [t]);

  const clock = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const warnings = s?.warnings ?? [];
  return (
    <div className="screen" data-testid="bigscreen">
      <header className="screen-header">
        <span className={live ? 'screen-live' : 'screen-offline'}>{live ? `● ${t('pub.screen.live')}` : t('pub.screen.offline')}</span>
        <h1>{t('pub.screen.title')}</h1>
        <span className="screen-clock">{clock}</span>
      </header>
      <section className="screen-kpis">
        <div className="screen-kpi">
          <div className="screen-kpi-label">{t('pub.screen.accepted')}</div>
          <div className="screen-kpi-value" data-testid="screen-accepted">{s?.accepted ?? '—'}</div>
        </div>
        <div className="screen-kpi">
          <div className="screen-kpi-label">{t('pub.screen.concluded')}</div>
          <div className="screen-kpi-value" data-testid="screen-concluded">{s?.concluded ?? '—'}</div>
        </div>
      </section>
      <section className="screen-grid">
        <div className="screen-panel screen-counties">
          <h2>{t('pub.screen.byCounty')}</h2>
          {s ? <CountyChart s={s} accepted={t('pub.screen.accepted')} concluded={t('pub.screen.concluded')} /> : null}
        </div>
        <div className="screen-panel">
          <h2>{t('pub.screen.warnings')}</h2>
          <div className="screen-ticker">
            {warnings.length === 0 ? (
              <div className="screen-muted">{t('pub.screen.noWarnings')}</div>
            ) : (
              <ul className={warnings.length > 6 ? 'screen-scroll' : undefined} style={{ animationDuration: `${warnings.length * 3}s` }}>
                {[...warnings, ...(warnings.length > 6 ? warnings : [])].map((w, i) => (
                  <li key={i}>
                    <span className="screen-level" style={{ color: LEVEL_COLOURS[w.level], borderColor: LEVEL_COLOURS[w.level] }}>{t(`pub.level.${w.level}`)}</span>
                    <span className="screen-warning-text">{w.department}：{w.summary}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <div className="screen-panel">
          <h2>{s?.rankingMonth ? t('pub.rankingMonth', { month: s.rankingMonth }) : t('pub.ranking')}</h2>
          {s && s.ranking.length > 0 ? (
            <ol className="screen-ranking">
              {s.ranking.map((r) => (
                <li key={r.rank + r.department}>
                  <span className="screen-rank">{r.rank}</span>
                  <span className="screen-rank-name">{r.department}</span>
                  <span className="screen-rank-score">{r.score.toFixed(1)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <div className="screen-muted">{t('pub.noRanking')}</div>
          )}
        </div>
      </section>
    </div>
  );
}
