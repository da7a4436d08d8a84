// /exchange/stats — 交换统计: calls per day per consumer department and per resource (ECharts), the most-called
// resources, totals, and the day × client × resource table. Usable at 390 px (charts stack, the table scrolls).
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Segmented, Select, Space, Spin, Statistic, Table } from 'antd';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsCoreOption } from '../../components/useEChart.ts';
import { useI18n } from '../../context.tsx';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { exchangeApi, type ExchangeStats, type ExchangeStatsRow } from './api.ts';
import './charts.ts';
import './exchange.css';

type Range = 7 | 30 | 90;

/** YYYY-MM-DD in Beijing time, `daysBack` days ago. */
function beijingDay(daysBack: number): string {
  return new Date(Date.now() + 8 * 3_600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

/** Calls per day for each group (consumer department or resource), the largest groups first, the rest as one. */
function seriesBy(stats: ExchangeStats, groupOf: (r: ExchangeStatsRow) => string, keep = 8) {
  const days = daysBetween(stats.from, stats.to);
  const totals = new Map<string, number>();
  for (const r of stats.rows) totals.set(groupOf(r), (totals.get(groupOf(r)) ?? 0) + r.calls);
  const groups = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([g]) => g);
  const kept = new Set(groups.slice(0, keep));
  const perGroup = new Map<string, number[]>();
  for (const r of stats.rows) {
    const g = kept.has(groupOf(r)) ? groupOf(r) : '…';
    const values = perGroup.get(g) ?? perGroup.set(g, days.map(() => 0)).get(g)!;
    values[days.indexOf(r.day)]! += r.calls;
  }
  return { days, series: [...perGroup.entries()].map(([name, data]) => ({ name, data })) };
}

export default function StatsPage() {
  const { t, problem } = useI18n();
  const phone = usePhoneLayout();
  const [range, setRange] = useState<Range>(30);
  const [stats, setStats] = useState<ExchangeStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [resourceFilter, setResourceFilter] = useState<string | undefined>();
  const [consumerFilter, setConsumerFilter] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    exchangeApi
      .stats({ from: beijingDay(range - 1), to: beijingDay(0) }, controller.signal)
      .then(setStats, (err: unknown) => {
        if (!controller.signal.aborted) setError(problem(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [range, problem]);

  // resource and consumer filters apply to what was fetched (a period's rows are few)
  const shown = useMemo<ExchangeStats | null>(() => {
    if (!stats) return null;
    const rows = stats.rows.filter((r) => (resourceFilter === undefined || r.resourceId === resourceFilter) && (consumerFilter === undefined || r.consumerDepartmentId === consumerFilter));
    const totals = rows.reduce((t, r) => ({ calls: t.calls + r.calls, rows: t.rows + r.rows, refusals: t.refusals + r.refusals }), { calls: 0, rows: 0, refusals: 0 });
    return { ...stats, rows, totals };
  }, [stats, resourceFilter, consumerFilter]);
  const choices = useMemo(() => {
    const resources = new Map<string, string>();
    const consumers = new Map<string, string>();
    for (const r of stats?.rows ?? []) {
      resources.set(r.resourceId, r.resourceName);
      consumers.set(r.consumerDepartmentId, r.consumerDepartmentName);
    }
    const sorted = (m: Map<string, string>) => [...m].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    return { resources: sorted(resources), consumers: sorted(consumers) };
  }, [stats]);

  const options = useMemo(() => {
    const stats = shown;
    if (!stats) return null;
    const legend = phone ? { type: 'scroll', bottom: 0 } : { type: 'scroll', top: 0 };
    const grid = { left: 40, right: 16, top: phone ? 16 : 40, bottom: phone ? 56 : 24, containLabel: true };
    const byConsumer = seriesBy(stats, (r) => r.consumerDepartmentName);
    const byResource = seriesBy(stats, (r) => r.resourceName);
    const top = new Map<string, number>();
    for (const r of stats.rows) top.set(r.resourceName, (top.get(r.resourceName) ?? 0) + r.calls);
    const topList = [...top.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).reverse();
    const line = (s: ReturnType<typeof seriesBy>): EChartsCoreOption => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend,
      grid,
      xAxis: { type: 'category', data: s.days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: s.series.map((x) => ({ ...x, type: 'line', smooth: true, showSymbol: false })),
    });
    return {
      consumer: line(byConsumer),
      resource: { ...line(byResource), series: byResource.series.map((x) => ({ ...x, type: 'bar', stack: 'calls' })) } as EChartsCoreOption,
      top: {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: topList.map(([name]) => (phone && name.length > 8 ? `${name.slice(0, 8)}…` : name)) },
        series: [{ type: 'bar', data: topList.map(([, n]) => n), name: t('exchange.calls') }],
      } as EChartsCoreOption,
    };
  }, [shown, phone, t]);

  const columns = [
    { key: 'day', title: t('exchange.day'), dataIndex: 'day', width: 110, fixed: phone ? undefined : ('left' as const) },
    { key: 'resource', title: t('exchange.resource'), dataIndex: 'resourceName', width: 200, ellipsis: true },
    { key: 'client', title: t('exchange.client'), dataIndex: 'clientName', width: 160, ellipsis: true },
    { key: 'consumer', title: t('exchange.consumer'), dataIndex: 'consumerDepartmentName', width: 180, ellipsis: true },
    { key: 'provider', title: t('exchange.provider'), dataIndex: 'providerDepartmentName', width: 180, ellipsis: true },
    { key: 'calls', title: t('exchange.calls'), dataIndex: 'calls', width: 90, align: 'right' as const, sorter: (a: ExchangeStatsRow, b: ExchangeStatsRow) => a.calls - b.calls },
    { key: 'rows', title: t('exchange.rows'), dataIndex: 'rows', width: 100, align: 'right' as const },
    { key: 'refusals', title: t('exchange.refusals'), dataIndex: 'refusals', width: 90, align: 'right' as const },
  ];

  return (
    <div className="page exchange-stats">
      <PageHeader
        title={t('exchange.title')}
        extra={
          <Segmented<Range>
            options={[
              { value: 7, label: t('exchange.days7') },
              { value: 30, label: t('exchange.days30') },
              { value: 90, label: t('exchange.days90') },
            ]}
            value={range}
            onChange={setRange}
            data-testid="exchange-range"
          />
        }
      />
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <Space wrap direction={phone ? 'vertical' : 'horizontal'} className="exchange-filters" style={phone ? { width: '100%' } : undefined}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('exchange.allResources')}
          options={choices.resources}
          value={resourceFilter}
          onChange={setResourceFilter}
          style={{ width: phone ? '100%' : 260 }}
          data-testid="exchange-resource"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('exchange.allConsumers')}
          options={choices.consumers}
          value={consumerFilter}
          onChange={setConsumerFilter}
          style={{ width: phone ? '100%' : 260 }}
          data-testid="exchange-consumer"
        />
      </Space>
      <Spin spinning={loading}>
        {shown && options ? (
          <>
            <Row gutter={[16, 16]} className="exchange-totals">
              <Col xs={8}>
                <Statistic title={t('exchange.calls')} value={shown.totals.calls} data-testid="exchange-total-calls" />
              </Col>
              <Col xs={8}>
                <Statistic title={t('exchange.rows')} value={shown.totals.rows} />
              </Col>
              <Col xs={8}>
                <Statistic title={t('exchange.refusals')} value={shown.totals.refusals} />
              </Col>
            </Row>
            {shown.rows.length === 0 ? (
              <Empty description={t('exchange.empty')} />
            ) : (
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={12}>
                  <Card size="small" title={t('exchange.byConsumer')}>
                    <EChart option={options.consumer} height={phone ? 300 : 320} testId="exchange-chart-consumer" />
                  </Card>
                </Col>
                <Col xs={24} xl={12}>
                  <Card size="small" title={t('exchange.byResource')}>
                    <EChart option={options.resource} height={phone ? 300 : 320} testId="exchange-chart-resource" />
                  </Card>
                </Col>
                <Col xs={24}>
                  <Card size="small" title={t('exchange.topResources')}>
                    <EChart option={options.top} height={phone ? 280 : 300} testId="exchange-chart-top" />
                  </Card>
                </Col>
                <Col xs={24}>
                  <Card size="small" title={t('exchange.detail')}>
                    <Table<ExchangeStatsRow>
                      size="small"
                      rowKey={(r) => `${r.day}|${r.clientAppId}|${r.resourceId}`}
                      columns={columns}
                      dataSource={shown.rows}
                      scroll={{ x: 1110 }}
                      pagination={{ pageSize: 20, simple: phone, showSizeChanger: false }}
                      data-testid="exchange-table"
                    />
                  </Card>
                </Col>
              </Row>
            )}
          </>
        ) : null}
      </Spin>
    </div>
  );
}
