// /evaluation/ranking — 考评排名: a published month's ranking (as the public sees it), filtered by county, with XLSX export.
import { useState } from 'react';
import { Select, Space } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { COUNTIES, evaluationApi, type PublicRank } from './api.ts';
import { GradeTag, useScoredMonths } from './parts.tsx';

export default function RankingPage() {
  const { t, lang } = useI18n();
  const { months } = useScoredMonths();
  const publishedMonths = months.filter((m) => m.published);
  const [month, setMonth] = useState<string | undefined>(undefined);
  const [county, setCounty] = useState<string>('all');
  const shown = month ?? publishedMonths[0]?.month;
  const fetchPage: PageFetcher<PublicRank> = async (_cursor, signal) => {
    if (!shown) return { items: [], nextCursor: null, total: 0 };
    const r = await evaluationApi.publicRanking({ month: shown, countyCode: county === 'all' ? undefined : county }, signal);
    return { items: r.items, nextCursor: null, total: r.items.length };
  };
  const list = useCursorList<PublicRank>(`${shown ?? ''}|${county}`, fetchPage);
  const columns: ListColumn<PublicRank>[] = [
    { key: 'rank', title: t('evaluation.rank'), width: 80, required: true, render: (r) => r.rank, exportValue: (r) => r.rank },
    { key: 'department', title: t('evaluation.department'), width: 260, required: true, render: (r) => r.departmentName, exportValue: (r) => r.departmentName },
    { key: 'region', title: t('evaluation.county'), width: 160, render: (r) => r.regionName, exportValue: (r) => r.regionName },
    { key: 'score', title: t('evaluation.score'), width: 100, render: (r) => <b>{r.score.toFixed(2)}</b>, exportValue: (r) => r.score },
    { key: 'grade', title: t('evaluation.grade'), width: 100, render: (r) => <GradeTag grade={r.grade} />, exportValue: (r) => t(`evaluation.grade.${r.grade}`) },
  ];
  return (
    <div className="page">
      <PageHeader title={t('evaluation.ranking.title')} />
      <ListPage<PublicRank>
        id="evaluation-ranking"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="departmentName"
        rowTestId="ranking-row"
        emptyText={t('evaluation.noMonths')}
        phoneLead={{ key: 'department', width: 220, primary: (r) => `${r.rank}. ${r.departmentName}`, secondary: (r) => `${r.score.toFixed(2)} · ${t(`evaluation.grade.${r.grade}`)}`, folds: ['rank', 'score'] }}
        filters={
          <Space wrap>
            <Select value={shown} onChange={setMonth} style={{ width: 130 }} data-testid="ranking-month" placeholder={t('evaluation.month')} options={publishedMonths.map((m) => ({ value: m.month, label: m.month }))} />
            <Select
              value={county}
              onChange={setCounty}
              style={{ width: 200 }}
              data-testid="ranking-county"
              options={[{ value: 'all', label: t('evaluation.allCounties') }, ...COUNTIES.map((c) => ({ value: c.code, label: lang === 'zh-CN' ? c.zh : c.en }))]}
            />
          </Space>
        }
      />
    </div>
  );
}
