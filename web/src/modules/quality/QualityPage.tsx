// /quality — 质量评估与排名: the departments' ranking (chart and table, with the score's formula), the resources past
// their update cycle, and every resource's figures (expand a row for its items).
import { useState } from 'react';
import { Card, Segmented, Space, Tag, Typography } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { qualityApi, type DepartmentRank, type OverdueResource, type Ranking, type ResourceQuality } from './api.ts';
import { RankingChart } from './RankingChart.tsx';
import { FreshnessTag, ResourceQualityView } from './ResourceQuality.tsx';
import { useFetch } from '../../components/useFetch.ts';
import './quality.css';

const pct = (ratio: number | null) => (ratio === null ? '—' : `${Math.round(ratio * 1000) / 10}%`);

function RankingTable({ ranking }: { ranking: Ranking }) {
  const { t } = useI18n();
  const fetchPage: PageFetcher<DepartmentRank> = () => Promise.resolve({ items: ranking.items, nextCursor: null, total: ranking.items.length });
  const list = useCursorList<DepartmentRank>(`quality-ranking|${ranking.generatedAt}`, fetchPage, { pageSize: 100 });
  const columns: ListColumn<DepartmentRank>[] = [
    { key: 'rank', title: t('quality.rank'), dataIndex: 'rank', width: 70, required: true, sort: (r) => r.rank },
    { key: 'departmentName', title: t('quality.department'), dataIndex: 'departmentName', width: 220, required: true, sort: (r) => r.departmentName },
    { key: 'score', title: t('quality.score'), dataIndex: 'score', width: 90, sort: (r) => r.score, render: (r) => <Typography.Text strong>{r.score}</Typography.Text> },
    { key: 'published', title: t('quality.published'), dataIndex: 'published', width: 100, sort: (r) => r.published },
    { key: 'onTime', title: t('quality.onTime'), dataIndex: 'onTime', width: 90, sort: (r) => r.onTime },
    { key: 'late', title: t('quality.late'), dataIndex: 'late', width: 90, sort: (r) => r.late },
    { key: 'overdue', title: t('quality.overdue'), dataIndex: 'overdue', width: 100, sort: (r) => r.overdue, render: (r) => (r.overdue > 0 ? <Tag color="red">{r.overdue}</Tag> : '0') },
    { key: 'pending', title: t('quality.pending'), dataIndex: 'pending', width: 90, defaultHidden: true, sort: (r) => r.pending },
    { key: 'averageAnswerDays', title: t('quality.avgDays'), dataIndex: 'averageAnswerDays', width: 140, sort: (r) => r.averageAnswerDays, render: (r) => r.averageAnswerDays ?? '—' },
    { key: 'onTimeRate', title: t('quality.onTimeRate'), dataIndex: 'onTimeRate', width: 100, sort: (r) => r.onTimeRate, render: (r) => pct(r.onTimeRate) },
    { key: 'quality', title: t('quality.quality'), dataIndex: 'quality', width: 100, sort: (r) => r.quality, render: (r) => r.quality ?? '—' },
    { key: 'freshRate', title: t('quality.freshRate'), dataIndex: 'freshRate', width: 110, sort: (r) => r.freshRate, render: (r) => pct(r.freshRate) },
  ];
  return (
    <ListPage<DepartmentRank>
      id="quality-ranking"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="departmentId"
      rowTestId="quality-rank"
      scrollX={1200}
      emptyText={t('quality.empty')}
      phoneLead={{ key: 'departmentName', width: 200, primary: (r) => `${r.rank}. ${r.departmentName}`, secondary: (r) => `${t('quality.score')} ${r.score}`, folds: ['rank', 'score'] }}
    />
  );
}

function OverdueTable({ items }: { items: readonly OverdueResource[] }) {
  const { t, tx } = useI18n();
  const fetchPage: PageFetcher<OverdueResource> = () => Promise.resolve({ items: [...items], nextCursor: null, total: items.length });
  const list = useCursorList<OverdueResource>(`quality-overdue|${items.length}|${items[0]?.code ?? ''}`, fetchPage, { pageSize: 100 });
  const columns: ListColumn<OverdueResource>[] = [
    { key: 'name', title: t('quality.resource'), dataIndex: 'name', width: 220, required: true, sort: (r) => r.name },
    { key: 'code', title: t('quality.code'), dataIndex: 'code', width: 160, defaultHidden: true },
    { key: 'providerDepartmentName', title: t('quality.provider'), dataIndex: 'providerDepartmentName', width: 200, sort: (r) => r.providerDepartmentName },
    { key: 'updateCycle', title: t('quality.cycle'), dataIndex: 'updateCycle', width: 100, render: (r) => tx(`quality.cycle.${r.updateCycle}`, r.updateCycle) },
    { key: 'lastLoadAt', title: t('quality.lastLoad'), width: 170, sort: (r) => r.freshness.lastLoadAt, render: (r) => (r.freshness.lastLoadAt ? formatDateTime(r.freshness.lastLoadAt) : <FreshnessTag freshness={r.freshness} />) },
    { key: 'ageDays', title: t('quality.age'), width: 100, sort: (r) => r.freshness.ageDays, render: (r) => r.freshness.ageDays ?? '—' },
  ];
  return (
    <ListPage<OverdueResource>
      id="quality-overdue"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="code"
      rowTestId="quality-overdue"
      scrollX={800}
      emptyText={t('quality.empty')}
      phoneLead={{ key: 'name', width: 200, primary: (r) => r.name, secondary: (r) => r.providerDepartmentName, folds: ['providerDepartmentName'] }}
    />
  );
}

function ResourcesTable() {
  const { t, tx } = useI18n();
  const [overdue, setOverdue] = useState<boolean | undefined>(undefined);
  const fetchPage: PageFetcher<ResourceQuality> = async (_cursor, signal) => {
    const page = await qualityApi.resources(overdue, signal);
    return { items: page.items, nextCursor: null, total: page.total };
  };
  const list = useCursorList<ResourceQuality>(`quality-resources|${String(overdue)}`, fetchPage, { pageSize: 100 });
  const columns: ListColumn<ResourceQuality>[] = [
    { key: 'name', title: t('quality.resource'), dataIndex: 'name', width: 220, required: true, sort: (r) => r.name },
    { key: 'providerDepartmentName', title: t('quality.provider'), dataIndex: 'providerDepartmentName', width: 180, sort: (r) => r.providerDepartmentName },
    { key: 'score', title: t('quality.score'), dataIndex: 'score', width: 80, sort: (r) => r.score },
    { key: 'completeness', title: t('quality.completeness'), width: 100, sort: (r) => r.completeness.overall, render: (r) => pct(r.completeness.overall), exportValue: (r) => r.completeness.overall },
    { key: 'rejection', title: t('quality.rejection'), width: 90, sort: (r) => r.rejection.rate, render: (r) => pct(r.rejection.rate), exportValue: (r) => r.rejection.rate },
    { key: 'freshness', title: t('quality.freshness'), width: 100, render: (r) => <FreshnessTag freshness={r.freshness} />, exportValue: (r) => (r.freshness.overdue ? 'overdue' : 'ok') },
    { key: 'updateCycle', title: t('quality.cycle'), dataIndex: 'updateCycle', width: 90, render: (r) => tx(`quality.cycle.${r.updateCycle}`, r.updateCycle) },
    { key: 'rows', title: t('quality.rows'), dataIndex: 'rows', width: 100, sort: (r) => r.rows },
  ];
  return (
    <ListPage<ResourceQuality>
      id="quality-resources"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="code"
      rowTestId="quality-resource"
      scrollX={1000}
      emptyText={t('quality.empty')}
      expandable={{ expandedRowRender: (r) => <ResourceQualityView figures={r} /> }}
      phoneLead={{ key: 'name', width: 200, primary: (r) => r.name, secondary: (r) => `${t('quality.score')} ${r.score}`, folds: ['score'] }}
      filters={
        <Segmented<'all' | 'overdue'>
          value={overdue ? 'overdue' : 'all'}
          onChange={(v) => setOverdue(v === 'overdue' ? true : undefined)}
          options={[
            { label: t('quality.all'), value: 'all' },
            { label: t('quality.showOverdue'), value: 'overdue' },
          ]}
        />
      }
    />
  );
}

export default function QualityPage() {
  const { t } = useI18n();
  const ranking = useFetch('quality-ranking', (signal) => qualityApi.ranking(signal));
  const w = ranking.data?.weights;
  return (
    <div className="page quality-page">
      <PageHeader title={t('quality.title')} />
      {ranking.error ? <ErrorAlert error={ranking.error} onRetry={ranking.reload} /> : null}
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('quality.chart')} size="small" loading={ranking.loading && !ranking.data}>
          {ranking.data ? <RankingChart items={ranking.data.items} label={t('quality.score')} /> : null}
          {w ? (
            <Typography.Paragraph type="secondary" className="quality-note" data-testid="quality-formula">
              {t('quality.formula', { published: w.published, onTime: w.onTime, quality: w.quality, freshness: w.freshness })}
            </Typography.Paragraph>
          ) : null}
        </Card>
        <Card title={t('quality.ranking')} size="small">
          {ranking.data ? <RankingTable ranking={ranking.data} /> : null}
        </Card>
        <Card title={t('quality.overdueResources')} size="small">
          {ranking.data ? <OverdueTable items={ranking.data.overdueResources} /> : null}
        </Card>
        <Card title={t('quality.resources')} size="small">
          <ResourcesTable />
        </Card>
      </Space>
    </div>
  );
}
