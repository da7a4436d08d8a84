// /supervision — the 纪委's cockpit (issue 9 §8): headline figures, the 哈密 map coloured by each county's overdue
// rate, departments by warnings per rung and overdue rate, and the recent warnings with filters; a warning opens the
// case's timeline and audit trail, and carries the buttons its abilities allow (督办, 说明理由).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Col, Grid, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { supervisionApi, type DepartmentRow, type Overview, type Warning, type WarningQuery } from './api.ts';
import { CaseDrawer } from './CaseDrawer.tsx';
import { OverdueMap } from './OverdueMap.tsx';
import { CASE_RULES, IssueOrderModal, LEVELS, LevelTag, TextModal, WarningStateTag, percent, useRuleLabel, type Key } from './parts.tsx';
import './supervision.css';

type Filter = Pick<WarningQuery, 'level' | 'rule' | 'departmentId' | 'regionCode' | 'state'>;

export default function CockpitPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const ruleLabel = useRuleLabel();
  // on a phone the action column scrolls with the row (fixed, it would cover the summary)
  const wide = Grid.useBreakpoint().md === true;
  const [overview, setOverview] = useState<Overview | null>(null);
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const [filter, setFilter] = useState<Filter>({});
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<Warning | null>(null);
  const [ordering, setOrdering] = useState<Warning | null>(null);
  const [explaining, setExplaining] = useState<Warning | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    supervisionApi
      .overview({}, controller.signal)
      .then(setOverview)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [reload, message, problem]);

  useEffect(() => {
    const controller = new AbortController();
    setWarnings(null);
    supervisionApi
      .warnings({ ...filter, limit: 100 }, controller.signal)
      .then(setWarnings)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [filter, reload, message, problem]);

  const set = useCallback((patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch })), []);
  const totals = overview?.totals;
  const departments = useMemo(() => [...(overview?.departments ?? [])].sort((a, b) => b.overdueRate - a.overdueRate || (b.counts.red ?? 0) - (a.counts.red ?? 0) || a.name.localeCompare(b.name)), [overview]);
  const countyName = (code: string) => overview?.counties.find((c) => c.code === code)?.name ?? code;
  const count = (d: DepartmentRow, level: string) => d.counts[level] ?? 0;

  const stats: { key: string; title: string; value: string | number; tone: string; extra?: string }[] = totals
    ? [
        { key: 'running', title: t('supervision.stat.running'), value: totals.running, tone: 'blue' },
        { key: 'overdue', title: t('supervision.stat.overdue'), value: totals.overdue, tone: 'orange', extra: `${t('supervision.stat.overdueRate')} ${percent(totals.overdueRate)}` },
        { key: 'yellow', title: t('supervision.stat.yellow'), value: totals.yellow, tone: 'gold' },
        { key: 'red', title: t('supervision.stat.red'), value: totals.red, tone: 'red' },
        { key: 'orders', title: t('supervision.stat.openOrders'), value: totals.openOrders, tone: 'purple', extra: t('supervision.stat.overdueOrders', { n: totals.overdueOrders }) },
      ]
    : [];

  return (
    <div className="page supervision-cockpit">
      <PageHeader
        title={t('supervision.cockpit.title')}
        extra={
          <Space wrap>
            {overview && <Typography.Text type="secondary">{t('supervision.cockpit.today', { today: overview.today })}</Typography.Text>}
            <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
              {t('supervision.refresh')}
            </Button>
          </Space>
        }
      />
      <div className="sv-stats" data-testid="supervision-stats">
        {stats.map((s) => (
          <Card key={s.key} size="small" className={`sv-stat sv-tone-${s.tone}`} data-testid={`supervision-stat-${s.key}`}>
            <Statistic title={s.title} value={s.value} />
            {s.extra && <Typography.Text type="secondary" className="sv-stat-extra">{s.extra}</Typography.Text>}
          </Card>
        ))}
      </div>
      <Row gutter={[12, 12]} className="dash-row">
        <Col xs={24} xl={10}>
          <Card size="small" title={t('supervision.map.title')} extra={<Typography.Text type="secondary">{t('supervision.map.hint')}</Typography.Text>} className="dash-card">
            <OverdueMap counties={overview?.counties ?? []} selected={filter.regionCode ?? null} onPick={(code) => set({ regionCode: code ?? undefined })} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('supervision.departments.title')} className="dash-card">
            <Table<DepartmentRow>
              rowKey="id"
              size="small"
              loading={overview === null}
              dataSource={departments}
              pagination={{ pageSize: 8, showSizeChanger: false, size: 'small' }}
              scroll={{ x: 760 }}
              locale={{ emptyText: t('supervision.departments.empty') }}
              data-testid="supervision-departments"
              columns={[
                { key: 'name', title: t('supervision.col.department'), fixed: wide ? 'left' : undefined, width: 180, ellipsis: true, sorter: (a, b) => a.name.localeCompare(b.name), render: (_, d) => d.name },
                ...(['yellow', 'red', 'prompt', 'irregular'] as const).map((level) => ({ key: level, title: t(`supervision.level.${level}` as Key), width: 70, align: 'right' as const, sorter: (a: DepartmentRow, b: DepartmentRow) => count(a, level) - count(b, level), render: (_: unknown, d: DepartmentRow) => count(d, level) })),
                { key: 'running', title: t('supervision.col.running'), width: 70, align: 'right' as const, sorter: (a, b) => a.running - b.running, render: (_, d) => d.running },
                { key: 'rate', title: t('supervision.col.overdueRate'), width: 90, align: 'right' as const, defaultSortOrder: 'descend' as const, sorter: (a, b) => a.overdueRate - b.overdueRate, render: (_, d) => <span className={d.overdueRate >= 0.2 ? 'sv-rate-high' : undefined}>{percent(d.overdueRate)}</span> },
                { key: 'drill', title: '', width: 100, render: (_, d) => <a onClick={() => set({ departmentId: d.id })}>{t('supervision.drill')}</a> },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" className="dash-row" title={t('supervision.warnings.title')}>
        <Space wrap style={{ marginBottom: 12 }} className="sv-filters">
          <Select allowClear placeholder={t('supervision.filter.level')} style={{ width: 120 }} value={filter.level} onChange={(v) => set({ level: v })} options={LEVELS.map((l) => ({ value: l, label: t(`supervision.level.${l}` as Key) }))} data-testid="supervision-filter-level" />
          <Select allowClear placeholder={t('supervision.filter.rule')} style={{ width: 180 }} value={filter.rule} onChange={(v) => set({ rule: v })} options={CASE_RULES.map((r) => ({ value: r, label: ruleLabel(r) }))} />
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('supervision.filter.department')} style={{ width: 200 }} value={filter.departmentId} onChange={(v) => set({ departmentId: v })} options={(overview?.departments ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          <Select allowClear placeholder={t('supervision.filter.county')} style={{ width: 160 }} value={filter.regionCode} onChange={(v) => set({ regionCode: v })} options={(overview?.counties ?? []).map((c) => ({ value: c.code, label: c.name }))} data-testid="supervision-filter-county" />
          <Select allowClear placeholder={t('supervision.filter.state')} style={{ width: 140 }} value={filter.state} onChange={(v) => set({ state: v })} options={(['open', 'explained', 'closed'] as const).map((s) => ({ value: s, label: t(`supervision.warningState.${s}` as Key) }))} />
          {Object.values(filter).some((v) => v !== undefined) && <Button onClick={() => setFilter({})}>{t('supervision.filter.clear')}</Button>}
        </Space>
        <Table<Warning>
          rowKey="id"
          size="small"
          loading={warnings === null}
          dataSource={warnings ?? []}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          scroll={{ x: 1280 }}
          locale={{ emptyText: t('supervision.empty') }}
          data-testid="supervision-warnings"
          onRow={(w) => ({ 'data-warning': w.id, 'data-level': w.level }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'on', title: t('supervision.col.firedOn'), width: 110, render: (_, w) => w.firedOn },
            { key: 'level', title: t('supervision.col.level'), width: 80, render: (_, w) => <LevelTag level={w.level} /> },
            { key: 'summary', title: t('supervision.col.summary'), width: 320, render: (_, w) => <a onClick={() => setOpen(w)}>{w.summary}</a> },
            { key: 'rule', title: t('supervision.col.rule'), width: 150, render: (_, w) => ruleLabel(w.rule) },
            { key: 'dept', title: t('supervision.col.department'), width: 180, ellipsis: true, render: (_, w) => w.department.name },
            { key: 'county', title: t('supervision.col.county'), width: 110, render: (_, w) => countyName(w.regionCode.slice(0, 6)) },
            { key: 'state', title: t('supervision.col.state'), width: 110, render: (_, w) => <WarningStateTag state={w.state} /> },
            {
              key: 'actions',
              title: t('supervision.col.actions'),
              width: 200,
              fixed: wide ? 'right' : undefined,
              render: (_, w) => (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => setOpen(w)}>{t('supervision.action.view')}</Button>
                  {w.abilities.includes('order') && (
                    <Button size="small" type="primary" onClick={() => setOrdering(w)} data-testid="supervision-order-button">
                      {t('supervision.action.order')}
                    </Button>
                  )}
                  {w.abilities.includes('explain') && (
                    <Button size="small" onClick={() => setExplaining(w)} data-testid="supervision-explain-button">
                      {t('supervision.action.explain')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CaseDrawer warning={open} onClose={() => setOpen(null)} />
      {ordering && (
        <IssueOrderModal
          warning={ordering}
          onClose={(order) => {
            setOrdering(null);
            if (order) {
              setReload((n) => n + 1);
              navigate(`/supervision/orders/${order.id}`);
            }
          }}
        />
      )}
      {explaining && (
        <TextModal
          title={`${t('supervision.action.explain')} · ${explaining.summary}`}
          label={t('supervision.explanation.textLabel')}
          placeholder={t('supervision.explanation.textPlaceholder')}
          required
          testId="supervision-explain-text"
          onSubmit={async (text) => {
            await supervisionApi.explain(explaining.id, text ?? '');
            void message.success(t('supervision.explanation.filed'));
            setReload((n) => n + 1);
          }}
          onClose={() => setExplaining(null)}
        />
      )}
    </div>
  );
}
