// /evaluation/scores — 月度考评: a month's department scores with their five parts, computing and publishing
// (evaluation.manage over a region), and a department's trend over the last 12 scored months.
import { useEffect, useState } from 'react';
import { App, Button, Card, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { CalculatorOutlined, SendOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { describeError } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { searchParam, useLocation } from '../../router.tsx';
import { evaluationApi, type Score, type TrendPoint } from './api.ts';
import { GradeTag, MonthPicker, previousMonth, useScoredMonths } from './parts.tsx';
import { TrendChart } from './TrendChart.tsx';

const PARTS = ['timeliness', 'overdue', 'irregularities', 'satisfaction', 'bonus'] as const;

export default function ScoresPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { months, loaded, reload } = useScoredMonths();
  const location = useLocation();
  // ?month=YYYY-MM opens that month (links from the to-do list, the ranking, tests)
  const [month, setMonth] = useState<string | undefined>(() => searchParam(location.search, 'month') ?? undefined);
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<Score | null>(null);
  const [trend, setTrend] = useState<TrendPoint[]>([]);
  const shown = month ?? months[0]?.month ?? (loaded ? previousMonth() : undefined);
  const published = months.find((m) => m.month === shown)?.published ?? false;
  const fetchPage: PageFetcher<Score> = async (_cursor, signal) => {
    if (!shown) return { items: [], nextCursor: null, total: 0 };
    const r = await evaluationApi.scores({ month: shown }, signal);
    return { items: r.items, nextCursor: null, total: r.items.length };
  };
  const list = useCursorList<Score>(shown ?? '', fetchPage);

  useEffect(() => {
    if (!picked) return;
    const controller = new AbortController();
    evaluationApi.trend(picked.departmentId, controller.signal).then((r) => setTrend(r.items), () => setTrend([]));
    return () => controller.abort();
  }, [picked]);

  const run = async (action: 'compute' | 'publish') => {
    if (!shown) return;
    setBusy(true);
    try {
      const r = await (action === 'compute' ? evaluationApi.compute(shown) : evaluationApi.publish(shown));
      void message.success(action === 'compute' ? t('evaluation.computed', { n: r.departments }) : t('evaluation.published'));
      reload();
      list.reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const part = (key: (typeof PARTS)[number]): ListColumn<Score> => ({
    key,
    title: t(`evaluation.part.${key}`),
    width: 120,
    render: (r) => String(r.components[key] ?? '—'),
    exportValue: (r) => Number(r.components[key] ?? 0),
    sort: (r) => Number(r.components[key] ?? 0),
  });
  const columns: ListColumn<Score>[] = [
    { key: 'rank', title: t('evaluation.rank'), width: 70, required: true, render: (r) => r.rank, exportValue: (r) => r.rank, sort: (r) => r.rank },
    {
      key: 'department',
      title: t('evaluation.department'),
      width: 220,
      required: true,
      render: (r) => (
        <a onClick={() => setPicked(r)} data-testid={`score-${r.departmentId}`}>
          {r.departmentName}
        </a>
      ),
      exportValue: (r) => r.departmentName,
    },
    { key: 'region', title: t('evaluation.county'), width: 140, render: (r) => r.regionName, exportValue: (r) => r.regionName },
    { key: 'score', title: t('evaluation.score'), width: 90, render: (r) => <b>{r.score.toFixed(2)}</b>, exportValue: (r) => r.score, sort: (r) => r.score },
    { key: 'grade', title: t('evaluation.grade'), width: 90, render: (r) => <GradeTag grade={r.grade} />, exportValue: (r) => t(`evaluation.grade.${r.grade}`) },
    ...PARTS.map(part),
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('evaluation.scores.title')}
        extra={
          can('evaluation.manage') && (
            <Space wrap>
              <Button icon={<CalculatorOutlined />} loading={busy} disabled={!shown || published} onClick={() => void run('compute')} data-testid="scores-compute">
                {t('evaluation.compute')}
              </Button>
              <Popconfirm title={t('evaluation.publishConfirm')} onConfirm={() => void run('publish')} okButtonProps={{ 'data-testid': 'scores-publish-ok' }}>
                <Button type="primary" icon={<SendOutlined />} loading={busy} disabled={!shown || published || list.items.length === 0} data-testid="scores-publish">
                  {t('evaluation.publish')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      />
      <ListPage<Score>
        id="evaluation-scores"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="departmentId"
        scrollX={1300}
        emptyText={t('evaluation.noMonths')}
        phoneLead={{ key: 'department', width: 200, primary: (r) => `${r.rank}. ${r.departmentName}`, secondary: (r) => `${r.score.toFixed(2)} · ${t(`evaluation.grade.${r.grade}`)}`, folds: ['rank', 'score', 'grade'] }}
        filters={
          <Space wrap>
            {months.length > 0 ? (
              <Select value={shown} onChange={setMonth} style={{ width: 150 }} data-testid="scores-month" options={months.map((m) => ({ value: m.month, label: `${m.month}${m.published ? '' : ' *'}` }))} />
            ) : (
              <MonthPicker value={shown} onChange={setMonth} />
            )}
            {shown && <Tag color={published ? 'green' : 'default'}>{t(published ? 'evaluation.published' : 'evaluation.unpublished')}</Tag>}
            {can('evaluation.manage') && <MonthPicker value={month} onChange={setMonth} allowClear testId="scores-month-any" />}
          </Space>
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('evaluation.gradeNote')}
      </Typography.Paragraph>
      {picked && (
        <Card size="small" title={`${picked.departmentName} · ${t('evaluation.trend')}`} extra={<a onClick={() => setPicked(null)}>×</a>}>
          <TrendChart items={trend} label={t('evaluation.score')} />
        </Card>
      )}
    </div>
  );
}
