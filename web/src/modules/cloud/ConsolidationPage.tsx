// /cloud/consolidation — 整合报告: the pre-consolidation rooms and servers against the pool that replaced them, with
// the energy and money saved per year and the tariff the estimate assumed.
import { Card, Col, Row, Statistic, Table } from 'antd';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type Consolidation } from './api.ts';
import { BarChart } from './BarChart.tsx';

const wan = (n: number) => Math.round(n / 1000) / 10;

export default function ConsolidationPage() {
  const { t } = useI18n();
  const report = useFetch('consolidation', (signal) => cloudApi.consolidation(signal));
  const r = report.data;
  return (
    <div className="page" data-testid="cloud-consolidation">
      <PageHeader title={t('cloud.consolidation.title')} />
      {report.error ? <ErrorAlert error={report.error} onRetry={report.reload} /> : null}
      {r ? <Report r={r} /> : null}
    </div>
  );
}

function Report({ r }: { r: Consolidation }) {
  const { t } = useI18n();
  const figures = [
    { label: t('cloud.figure.servers'), before: r.before.servers, after: r.after.hosts },
    { label: `${t('cloud.figure.power')} (kW)`, before: r.before.powerKw, after: r.after.powerKw },
    { label: `${t('cloud.figure.energy')} (${t('cloud.unit.kwh', { n: '' }).trim()})`, before: wan(r.before.annualEnergyKwh), after: wan(r.after.annualEnergyKwh) },
    { label: `${t('cloud.figure.cost')} (${t('cloud.unit.yuan', { n: '' }).trim()})`, before: wan(r.before.annualCostYuan), after: wan(r.after.annualCostYuan) },
  ];
  return (
    <>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={`${t('cloud.saved.label')} · ${t('cloud.figure.servers')}`} value={r.saved.servers} suffix={`/ ${r.before.servers}`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={`${t('cloud.saved.label')} · ${t('cloud.figure.rooms')}`} value={r.saved.rooms} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={`${t('cloud.saved.label')} · ${t('cloud.figure.energy')}`} value={t('cloud.unit.kwh', { n: wan(r.saved.annualEnergyKwh) })} suffix={`(${r.saved.energyPct}%)`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={`${t('cloud.saved.label')} · ${t('cloud.figure.cost')}`} value={t('cloud.unit.yuan', { n: wan(r.saved.annualCostYuan) })} suffix={`(${r.saved.costPct}%)`} /></Card></Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('cloud.chart.before_after')}>
            <BarChart
              testId="cloud-consolidation-chart"
              label={t('cloud.chart.before_after')}
              categories={figures.map((f) => f.label)}
              series={[
                { name: t('cloud.before'), data: figures.map((f) => f.before), color: '#d4380d' },
                { name: t('cloud.after'), data: figures.map((f) => f.after), color: '#1456b8' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={`${t('cloud.before')} / ${t('cloud.after')}`}>
            <Table
              size="small"
              rowKey="label"
              pagination={false}
              dataSource={[
                { label: t('cloud.figure.rooms'), before: r.before.rooms, after: 1 },
                { label: t('cloud.figure.servers'), before: r.before.servers, after: r.after.hosts },
                { label: t('cloud.figure.cores'), before: r.before.cpuCores, after: r.after.cpuCores },
                { label: t('cloud.figure.util'), before: `${r.before.avgCpuUtilisation}%`, after: `${r.after.cpuUsedPct}%` },
                { label: t('cloud.figure.allocated'), before: '—', after: `${r.after.cpuAllocatedPct}%` },
                { label: t('cloud.figure.power'), before: t('cloud.unit.kw', { n: r.before.powerKw }), after: t('cloud.unit.kw', { n: r.after.powerKw }) },
                { label: t('cloud.figure.energy'), before: t('cloud.unit.kwh', { n: wan(r.before.annualEnergyKwh) }), after: t('cloud.unit.kwh', { n: wan(r.after.annualEnergyKwh) }) },
                { label: t('cloud.figure.cost'), before: t('cloud.unit.yuan', { n: wan(r.before.annualCostYuan) }), after: t('cloud.unit.yuan', { n: wan(r.after.annualCostYuan) }) },
              ]}
              columns={[
                { key: 'label', title: '', render: (_, x) => x.label },
                { key: 'before', title: t('cloud.before'), render: (_, x) => x.before },
                { key: 'after', title: t('cloud.after'), render: (_, x) => x.after },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('cloud.assumptions')}>
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          scroll={{ x: 600 }}
          dataSource={r.assumptions}
          columns={[
            { key: 'code', title: t('cloud.code'), width: 200, render: (_, a) => a.code },
            { key: 'value', title: t('cloud.value'), width: 120, render: (_, a) => `${a.value} ${a.unit}` },
            { key: 'description', title: t('cloud.description'), render: (_, a) => a.description },
          ]}
        />
      </Card>
    </>
  );
}
