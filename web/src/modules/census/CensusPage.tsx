// /census — 统计分析: residents of a region node by a dimension, drill-down through the four levels, a second
// dimension's cross-tab, a bar or pie chart, the 哈密 county map coloured by a measure, a past date, the XLSX export.
import { useMemo, useState } from 'react';
import { App as AntApp, Breadcrumb, Button, Card, Col, DatePicker, Empty, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { saveBlob } from '../../components/list/exportRows.ts';
import { useFetch } from '../../components/useFetch.ts';
import { useI18n } from '../../context.tsx';
import { describeError } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { HAMI_MAP, echarts, ensureHamiMap } from '../../hamiMap.ts';
import { censusApi, type Breakdown } from './api.ts';
import { zh } from './messages.ts';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent]);

const DIMENSIONS = ['age', 'sex', 'ethnicity', 'residence_status', 'medical_insurance', 'social_security', 'party_member', 'label', 'household_size'] as const;
type Dim = (typeof DIMENSIONS)[number];
type T = ReturnType<typeof useI18n>['t'];

function valueLabel(t: T, dim: string, value: string, names: Record<string, string>): string {
  if (names[value]) return names[value]!;
  const key = `census.v.${value}`;
  if (key in zh) return t(key as keyof typeof zh);
  if (dim === 'age') return t('census.years', { v: value });
  if (dim === 'household_size') return t('census.persons', { v: value });
  return value;
}

export default function CensusPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [dimension, setDimension] = useState<Dim>('age');
  const [second, setSecond] = useState<Dim | undefined>(undefined);
  const [region, setRegion] = useState<string | undefined>(undefined);
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const [chartKind, setChartKind] = useState<'bar' | 'pie'>('bar');
  const [measure, setMeasure] = useState<string>('total');
  const [exporting, setExporting] = useState(false);
  const day = asOf ? asOf.format('YYYY-MM-DD') : undefined;
  const query = { dimension, region, asOf: day };
  const breakdown = useFetch(JSON.stringify(query), (signal) => censusApi.breakdown(query, signal));
  const crossKey = second && second !== dimension ? JSON.stringify({ ...query, second }) : '';
  const cross = useFetch(crossKey, (signal) => (second && second !== dimension ? censusApi.crossTab({ ...query, second }, signal) : Promise.resolve(null)));
  const data = breakdown.data;
  const dimLabel = (d: string) => t(`census.dim.${d}` as keyof typeof zh);
  const label = (d: string, v: string, names: Record<string, string> = data?.names ?? {}) => valueLabel(t, d, v, names);

  const chartOption = useMemo(() => {
    if (!data) return {};
    const items = data.values.map((v) => ({ name: label(data.dimension, v), value: data.node.counts[v] ?? 0 }));
    if (chartKind === 'pie') return { tooltip: { trigger: 'item' }, legend: { type: 'scroll', bottom: 0 }, series: [{ type: 'pie', radius: ['35%', '65%'], data: items }] };
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 12, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: items.map((i) => i.name), axisLabel: { interval: 0, rotate: items.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: items.map((i) => i.value), itemStyle: { color: '#1677ff' } }],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, chartKind, t]);

  // the county map: each county's value of the measure, from the prefecture's breakdown (or the county's own at deeper levels)
  const mapOption = useMemo(() => {
    if (!data) return null;
    let features;
    try {
      features = ensureHamiMap();
    } catch {
      return null;
    }
    const counties = data.node.level === 1 ? data.children : data.node.level === 2 ? [data.node] : [];
    const value = (n: Breakdown['node']) => (measure === 'total' ? n.total : (n.counts[measure] ?? 0));
    const rows = features.map((f) => {
      const county = counties.find((c) => c.code === f.id.slice(0, 6) || c.name === f.name);
      return { name: f.name, value: county ? value(county) : Number.NaN, code: county?.code };
    });
    const max = Math.max(1, ...rows.map((r) => (Number.isFinite(r.value) ? r.value : 0)));
    return {
      tooltip: { trigger: 'item' },
      visualMap: { type: 'continuous', min: 0, max, left: 8, bottom: 8, calculable: true, itemHeight: 80, inRange: { color: ['#dbe8fb', '#6fa3ec', '#1456b8', '#0a2a5e'] } },
      series: [{ type: 'map', map: HAMI_MAP, roam: false, layoutCenter: ['50%', '50%'], layoutSize: '95%', label: { show: true, fontSize: 11 }, select: { disabled: true }, data: rows }],
    };
  }, [data, measure]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await censusApi.exportXlsx({ ...query, second: second && second !== dimension ? second : undefined });
      saveBlob(blob, filename);
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setExporting(false);
    }
  };

  const columns = data
    ? [
        {
          title: t('census.region'),
          dataIndex: 'name',
          key: 'name',
          fixed: 'left' as const,
          render: (name: string, row: Breakdown['node']) =>
            row.level < 4 ? (
              <Typography.Link onClick={() => setRegion(row.code)} data-testid={`drill-${row.code}`}>
                {name}
              </Typography.Link>
            ) : (
              name
            ),
        },
        { title: t('census.total'), dataIndex: 'total', key: 'total', align: 'right' as const, sorter: (a: Breakdown['node'], b: Breakdown['node']) => a.total - b.total },
        ...data.values.map((v) => ({
          title: label(data.dimension, v),
          key: v,
          align: 'right' as const,
          render: (_: unknown, row: Breakdown['node']) => (row.counts[v] ?? 0).toLocaleString(),
          sorter: (a: Breakdown['node'], b: Breakdown['node']) => (a.counts[v] ?? 0) - (b.counts[v] ?? 0),
        })),
      ]
    : [];

  const crossData = cross.data;
  return (
    <>
      <PageHeader
        title={t('census.title')}
        extra={
          <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting} disabled={!data}>
            {t('census.export')}
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('census.dimension')} style={{ minWidth: 140 }} value={dimension} onChange={(d) => setDimension(d)} options={DIMENSIONS.map((d) => ({ value: d, label: dimLabel(d) }))} />
        <Select
          aria-label={t('census.second')}
          placeholder={t('census.second')}
          allowClear
          style={{ minWidth: 140 }}
          value={second}
          onChange={(d?: Dim) => setSecond(d)}
          options={DIMENSIONS.filter((d) => d !== dimension).map((d) => ({ value: d, label: dimLabel(d) }))}
        />
        <DatePicker aria-label={t('census.asOf')} placeholder={t('census.asOf')} value={asOf} onChange={(d) => setAsOf(d)} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        {data ? <Tag color={data.source === 'cube' ? 'green' : 'blue'}>{t(`census.source.${data.source}`)}</Tag> : null}
      </Space>
      {breakdown.error ? <ErrorAlert error={breakdown.error} /> : null}
      {data ? (
        <>
          <Breadcrumb
            data-testid="census-breadcrumb"
            style={{ marginBottom: 12 }}
            items={[...data.ancestors, data.node].map((r, i, all) => ({
              key: r.code,
              title: i === all.length - 1 ? <strong>{r.name}</strong> : <a onClick={() => setRegion(r.code)}>{r.name}</a>,
            }))}
          />
          <Typography.Paragraph type="secondary">
            {data.node.name} · {t('census.residents', { n: data.node.total.toLocaleString() })} · {data.asOf}
          </Typography.Paragraph>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={`${t('census.chart')} · ${dimLabel(data.dimension)}`} extra={<Segmented size="small" value={chartKind} onChange={(v) => setChartKind(v as 'bar' | 'pie')} options={[{ value: 'bar', label: t('census.bar') }, { value: 'pie', label: t('census.pie') }]} />}>
                <EChart option={chartOption} height={300} label={t('census.chart')} testId="census-chart" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card
                size="small"
                title={t('census.map')}
                extra={
                  <Select
                    size="small"
                    aria-label={t('census.measure')}
                    style={{ minWidth: 120 }}
                    value={measure}
                    onChange={setMeasure}
                    options={[{ value: 'total', label: t('census.total') }, ...data.values.map((v) => ({ value: v, label: label(data.dimension, v) }))]}
                  />
                }
              >
                {mapOption ? <EChart option={mapOption} height={300} label={t('census.map')} testId="census-map" /> : <Empty />}
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title={t('census.children')} extra={<Typography.Text type="secondary">{t('census.drill')}</Typography.Text>}>
                <Table
                  size="small"
                  rowKey="code"
                  loading={breakdown.loading}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  columns={columns}
                  dataSource={[data.node, ...data.children]}
                  rowClassName={(row) => (row.code === data.node.code ? 'census-node-row' : '')}
                />
              </Card>
            </Col>
            {crossData ? (
              <Col xs={24}>
                <Card size="small" title={`${t('census.crossTab')} · ${dimLabel(crossData.rows.dimension)} × ${dimLabel(crossData.columns.dimension)}`}>
                  {cross.error ? <ErrorAlert error={cross.error} /> : null}
                  <Table
                    size="small"
                    rowKey="value"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={crossData.rows.values.map((v, i) => ({ value: v, cells: crossData.cells[i] ?? [] }))}
                    columns={[
                      { title: '', dataIndex: 'value', key: 'value', fixed: 'left' as const, render: (v: string) => label(crossData.rows.dimension, v, crossData.names) },
                      ...crossData.columns.values.map((c, j) => ({
                        title: label(crossData.columns.dimension, c, crossData.names),
                        key: c,
                        align: 'right' as const,
                        render: (_: unknown, row: { cells: number[] }) => (row.cells[j] ?? 0).toLocaleString(),
                      })),
                      { title: t('census.total'), key: '__total', align: 'right' as const, render: (_: unknown, row: { cells: number[] }) => row.cells.reduce((s, n) => s + n, 0).toLocaleString() },
                    ]}
                  />
                </Card>
              </Col>
            ) : null}
          </Row>
        </>
      ) : null}
    </>
  );
}
