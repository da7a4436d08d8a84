// / — the caller's jurisdiction: where it lies, statistics, jurisdiction tree with counts, the 哈密 county map (zoomed to
// the caller's county when the jurisdiction lies in one) and the first page of departments.
import { useEffect, useMemo, useState, type Key, type ReactNode } from 'react';
import { Breadcrumb, Button, Card, Col, Empty, Row, Skeleton, Statistic, Table, Tag, Tree, Typography } from 'antd';
import type { TableColumnsType, TreeDataNode } from 'antd';
import { ApartmentOutlined, ClusterOutlined, EnvironmentOutlined, HomeOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import type { MapSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { api, isAbortError, type DashboardSummary, type Department, type JurisdictionRoot, type RegionNode, type RegionRef } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useEChart } from '../../components/useEChart.ts';
import { useI18n, type Translate } from '../../context.tsx';
import { formatDateTime, levelKey, LEVEL_COLORS } from '../../format.ts';
import { HAMI_MAP, ensureCountyMap, ensureHamiMap, type MapFeature } from '../../hamiMap.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';

type MapOption = ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

interface CountyStat {
  code: string;
  name: string;
  departments: number;
  users: number;
}

/** Per-county counts from the summary tree, keyed by 6-digit county code. Works for any jurisdiction shape. */
export function countyStats(tree: RegionNode): Map<string, CountyStat> {
  const out = new Map<string, CountyStat>();
  const visit = (node: RegionNode) => {
    if (node.code === '' || node.level === 1) {
      node.children.forEach(visit);
      return;
    }
    const key = node.code.slice(0, 6);
    const prev = out.get(key);
    if (node.level === 2) {
      out.set(key, { code: key, name: node.name, departments: node.departments + (prev?.departments ?? 0), users: node.users + (prev?.users ?? 0) });
    } else {
      // A township/community-level jurisdiction: attribute it to its county (code prefix).
      out.set(key, { code: key, name: prev?.name ?? '', departments: node.departments + (prev?.departments ?? 0), users: node.users + (prev?.users ?? 0) });
    }
  };
  visit(tree);
  return out;
}

function matchFeature(feature: MapFeature, stats: Map<string, CountyStat>): CountyStat | undefined {
  const byCode = stats.get(feature.id.slice(0, 6));
  if (byCode) return byCode;
  for (const stat of stats.values()) if (stat.name && stat.name === feature.name) return stat;
  return undefined;
}

/** The one county the whole jurisdiction lies in (the caller's own county, or the county around their township or community); null when it spans the prefecture or several counties. */
export function focusCounty(jurisdiction: readonly JurisdictionRoot[]): RegionRef | null {
  const counties = new Set(jurisdiction.map((j) => (j.level >= 2 ? j.code.slice(0, 6) : '')));
  if (jurisdiction.length === 0 || counties.size !== 1 || counties.has('')) return null;
  const first = jurisdiction[0]!;
  return first.level === 2 ? { code: first.code, name: first.name, level: first.level } : (first.ancestors.find((a) => a.level === 2) ?? null);
}

/** The county's shape alone, filled in the highlight colour, its tooltip giving the jurisdiction's figures. */
function buildFocusOption(t: Translate, mapName: string, county: RegionRef, tree: RegionNode): MapOption {
  const root = tree.code === '' ? tree.children.map((c) => c.name).join('、') : tree.name;
  return {
    tooltip: {
      trigger: 'item',
      formatter: () => t('dashboard.mapFocusTooltip', { name: county.name, root, departments: tree.departments, users: tree.users }),
    },
    series: [
      {
        type: 'map',
        map: mapName,
        roam: false,
        layoutCenter: ['50%', '50%'],
        layoutSize: '90%',
        label: { show: true, color: '#1f2d3d', fontSize: 14, fontWeight: 'bold', textBorderColor: '#fff', textBorderWidth: 3, formatter: () => (county.code === tree.code ? county.name : `${county.name}\n${root}`) },
        itemStyle: { areaColor: '#f5c342', borderColor: '#b7791f', borderWidth: 2 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#f7d36b' } },
        select: { disabled: true },
        data: [{ name: county.name, value: tree.departments }],
      },
    ],
  };
}

function buildMapOption(t: Translate, features: MapFeature[], stats: Map<string, CountyStat>): MapOption {
  const data = features.map((f) => {
    const stat = matchFeature(f, stats);
    return { name: f.name, value: stat ? stat.departments : Number.NaN, users: stat?.users ?? null };
  });
  const max = Math.max(1, ...data.map((d) => (Number.isFinite(d.value) ? d.value : 0)));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        if (!p) return '';
        const stat = features.find((f) => f.name === p.name);
        const s = stat ? matchFeature(stat, stats) : undefined;
        if (!s) return `${p.name}<br/>${t('dashboard.mapNoData')}`;
        return t('dashboard.mapTooltip', { name: p.name ?? '', departments: s.departments, users: s.users });
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      left: 12,
      bottom: 12,
      calculable: true,
      text: [t('dashboard.mapLegendHigh'), t('dashboard.mapLegendLow')],
      inRange: { color: ['#dbe8fb', '#6fa3ec', '#1456b8', '#0a2a5e'] },
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
        select: { disabled: true },
        data,
      },
    ],
  };
}

function HamiMap({ tree, focus }: { tree: RegionNode; focus: RegionRef | null }) {
  const { t } = useI18n();
  // the option cannot be built when the map data fails to load: that error is shown above an empty canvas
  const built = useMemo((): { option: MapOption | null; error: unknown } => {
    try {
      const features = ensureHamiMap();
      const focusMap = focus ? ensureCountyMap(focus.code) : null;
      return { option: focus && focusMap ? buildFocusOption(t, focusMap, focus, tree) : buildMapOption(t, features, countyStats(tree)), error: null };
    } catch (error) {
      return { option: null, error };
    }
  }, [t, tree, focus]);
  const ref = useEChart(built.option);

  return (
    <>
      {built.error ? <ErrorAlert error={built.error} /> : null}
      <div id="hami-map" ref={ref} className="hami-map" role="img" aria-label={focus ? t('dashboard.mapFocus', { name: focus.name }) : t('dashboard.map')} data-focus={focus?.code ?? 'all'} />
    </>
  );
}

function toTreeData(node: RegionNode, t: Translate): TreeDataNode {
  return {
    key: node.code || '__root',
    title: (
      <span className="region-tree-node">
        <span className="region-tree-name">{node.name}</span>
        {node.code ? (
          <Tag color={LEVEL_COLORS[node.level]} className="region-tree-level" variant="filled">
            {t(levelKey(node.level))}
          </Tag>
        ) : null}
        <span className="region-tree-count">{t('dashboard.nodeCounts', { d: node.departments, u: node.users })}</span>
      </span>
    ),
    children: node.children.map((c) => toTreeData(c, t)),
    isLeaf: node.children.length === 0,
  };
}

function RegionTreeCard({ tree }: { tree: RegionNode }) {
  const { t } = useI18n();
  const roots = useMemo(() => (tree.code === '' ? tree.children : [tree]), [tree]);
  const treeData = useMemo(() => roots.map((r) => toTreeData(r, t)), [roots, t]);
  const [expanded, setExpanded] = useState<Key[]>(() => roots.map((r) => r.code || '__root'));
  return (
    <Card title={t('dashboard.tree')} size="small" className="dash-card" extra={<Typography.Text type="secondary">{t('dashboard.treeHint')}</Typography.Text>}>
      {treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <div data-testid="region-tree">
          <Tree
          className="region-tree"
          showLine
          blockNode
          height={400}
          treeData={treeData}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys)}
          selectable={false}
          />
        </div>
      )}
    </Card>
  );
}

/** Where the caller's jurisdiction lies (prefecture › county › township › community) and its own figures. */
function JurisdictionCard({ summary }: { summary: DashboardSummary }) {
  const { t } = useI18n();
  const roots = summary.jurisdiction;
  return (
    <Card size="small" className="dash-card jurisdiction-card" data-testid="jurisdiction-card">
      <div className="jurisdiction-card-inner">
        <Typography.Text type="secondary" className="jurisdiction-card-label">
          <EnvironmentOutlined /> {t('dashboard.jurisdiction')}
        </Typography.Text>
        <div className="jurisdiction-card-roots">
          {roots.map((root) => (
            <div key={root.code} className="jurisdiction-card-root">
              <Breadcrumb items={[...root.ancestors, root].map((r, i, all) => ({ title: i === all.length - 1 ? <strong>{r.name}</strong> : r.name }))} />
              <Tag color={LEVEL_COLORS[root.level]} variant="filled">
                {t(levelKey(root.level))}
              </Tag>
            </div>
          ))}
        </div>
        <Typography.Text className="jurisdiction-card-figures">{t('dashboard.nodeCounts', { d: summary.totals.departments, u: summary.totals.users })}</Typography.Text>
      </div>
      <Typography.Text type="secondary" className="jurisdiction-card-hint">
        {t('dashboard.jurisdictionHint')}
      </Typography.Text>
    </Card>
  );
}

function DepartmentsCard() {
  const { t } = useI18n();
  const [state, setState] = useState<{ items: Department[]; loading: boolean; error: unknown }>({ items: [], loading: true, error: null });
  useEffect(() => {
    const controller = new AbortController();
    api
      .departments({ limit: 10 }, controller.signal)
      .then((page) => setState({ items: page.items, loading: false, error: null }))
      .catch((err: unknown) => {
        if (!isAbortError(err)) setState({ items: [], loading: false, error: err });
      });
    return () => controller.abort();
  }, []);
  const columns: TableColumnsType<Department> = [
    { title: t('departments.name'), dataIndex: 'name', key: 'name', ellipsis: true },
    { title: t('departments.shortName'), dataIndex: 'shortName', key: 'shortName', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('departments.region'), dataIndex: 'regionName', key: 'regionName', width: 160 },
    { title: t('departments.code'), dataIndex: 'code', key: 'code', width: 140, className: 'mono' },
  ];
  return (
    <Card
      title={t('dashboard.deptList')}
      size="small"
      className="dash-card"
      extra={<Link to="/departments">{t('dashboard.more')}</Link>}
    >
      <ErrorAlert error={state.error} />
      <Table<Department> size="small" rowKey="id" columns={columns} dataSource={state.items} loading={state.loading} pagination={false} scroll={{ x: 600 }} />
    </Card>
  );
}

function StatCard({ title, value, icon, color }: { title: string; value: number; icon: ReactNode; color: string }) {
  return (
    <Card size="small" className="stat-card">
      <div className="stat-card-inner">
        <div className="stat-card-icon" style={{ background: color }}>
          {icon}
        </div>
        <Statistic title={title} value={value} />
      </div>
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ summary: DashboardSummary | null; loading: boolean; error: unknown }>({ summary: null, loading: true, error: null });

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    api
      .dashboardSummary(controller.signal)
      .then((summary) => setState({ summary, loading: false, error: null }))
      .catch((err: unknown) => {
        if (!isAbortError(err)) setState({ summary: null, loading: false, error: err });
      });
    return () => controller.abort();
  }, [tick]);

  const { summary } = state;
  const totals = summary?.totals;
  const focus = useMemo(() => (summary ? focusCounty(summary.jurisdiction) : null), [summary]);
  // The highest level the jurisdiction starts at (1 prefecture … 4 community).
  const topLevel = summary && summary.jurisdiction.length > 0 ? Math.min(...summary.jurisdiction.map((j) => j.level)) : 1;

  return (
    <div data-testid="dashboard" className="dashboard">
      <PageHeader
        title={t('dashboard.title')}
        extra={
          <>
            {summary ? (
              <Typography.Text type="secondary">
                {t('common.generatedAt', { time: formatDateTime(summary.generatedAt) })}
              </Typography.Text>
            ) : null}
            <Button size="small" icon={<ReloadOutlined />} loading={state.loading} onClick={() => setTick((n) => n + 1)}>
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={state.error} onRetry={() => setTick((n) => n + 1)} />
      {summary ? <JurisdictionCard summary={summary} /> : null}
      <Row gutter={[12, 12]} className="dash-row">
        {[
          { key: 'prefecture', level: 1, title: t('dashboard.prefecture'), value: totals?.regions.prefecture ?? 0, icon: <EnvironmentOutlined />, color: '#0a2a5e' },
          { key: 'county', level: 2, title: t('dashboard.county'), value: totals?.regions.county ?? 0, icon: <EnvironmentOutlined />, color: '#1456b8' },
          { key: 'township', level: 3, title: t('dashboard.township'), value: totals?.regions.township ?? 0, icon: <ClusterOutlined />, color: '#2f7ee0' },
          { key: 'community', level: 4, title: t('dashboard.community'), value: totals?.regions.community ?? 0, icon: <HomeOutlined />, color: '#13a8a8' },
          { key: 'departments', level: 0, title: t('dashboard.departments'), value: totals?.departments ?? 0, icon: <ApartmentOutlined />, color: '#d48806' },
          { key: 'users', level: 0, title: t('dashboard.users'), value: totals?.users ?? 0, icon: <TeamOutlined />, color: '#389e0d' },
        ]
          // Counts of the levels below the jurisdiction's top: a county admin is not told "1 prefecture, 1 county".
          .filter((s) => s.level === 0 || s.level > topLevel)
          .map((s, i, shown) => (
            // On a phone two per row; an odd last card takes the whole row.
            <Col key={s.key} xs={i === shown.length - 1 && shown.length % 2 === 1 ? 24 : 12} md={8} xl={Math.max(4, 24 / shown.length)}>
              {summary || !state.loading ? <StatCard title={s.title} value={s.value} icon={s.icon} color={s.color} /> : <Card size="small" className="stat-card"><Skeleton active paragraph={false} /></Card>}
            </Col>
          ))}
      </Row>
      <Row gutter={[12, 12]} className="dash-row">
        {summary && summary.tree.children.length === 0 ? null : (
          <Col xs={24} lg={10}>
            {summary ? <RegionTreeCard key={summary.tree.code} tree={summary.tree} /> : <Card size="small" className="dash-card"><Skeleton active /></Card>}
          </Col>
        )}
        <Col xs={24} lg={summary && summary.tree.children.length === 0 ? 24 : 14}>
          <Card title={focus ? t('dashboard.mapFocus', { name: focus.name }) : t('dashboard.map')} size="small" className="dash-card">
            {summary ? <HamiMap tree={summary.tree} focus={focus} /> : <Skeleton active />}
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} className="dash-row">
        <Col span={24}>
          <DepartmentsCard />
        </Col>
      </Row>
    </div>
  );
}
