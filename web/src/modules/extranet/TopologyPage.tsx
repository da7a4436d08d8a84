// /extranet — 外网拓扑: the extranet as an ECharts graph (fixed layout by ring, link colour by state, single points
// of failure dashed, bandwidth labels), a click on a link shows what its failure cuts off, coverage per county, the
// list of single points of failure; an operator (extranet.manage) edits nodes, links and probes in the cards below.
// At phone width the diagram scales down and the lists follow below it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Col, Empty, Progress, Row, Space, Switch, Table, Tag, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import type { ECElementEvent } from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { EChartsCoreOption } from '../../components/useEChart.ts';
import { useFetch } from '../../components/useFetch.ts';
import { useAuth, useI18n } from '../../context.tsx';
import { describeError } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { extranetApi, type Bridges, type Coverage, type ExtranetLink, type Failure, type Topology } from './api.ts';
import { bandwidthLabel, layoutByRing } from './layout.ts';
import { LinksCard, NodesCard } from './ManageCards.tsx';

echarts.use([GraphChart, TooltipComponent]);

const STATE_COLOURS = { up: '#52c41a', down: '#ff4d4f', unknown: '#8c8c8c' } as const;
const KIND_COLOURS = { upstream: '#722ed1', core: '#1456b8', aggregation: '#13a8a8', access: '#faad14' } as const;
const KIND_SIZES = { upstream: 26, core: 30, aggregation: 16, access: 8 } as const;
type Option = EChartsCoreOption;

function Diagram({ option, label, onLink }: { option: Option; label: string; onLink: (id: string) => void }) {
  const onClick = (params: ECElementEvent) => {
    const data = params.data as { linkId?: string } | undefined;
    if (params.dataType === 'edge' && data?.linkId) onLink(data.linkId);
  };
  return <EChart option={option} onClick={onClick} label={label} testId="extranet-diagram" className="extranet-diagram" height="min(640px, max(360px, 60vw))" />;
}

function useDiagramOption(topology: Topology | null, showAccess: boolean, selected: string | null, failure: Failure | null, t: ReturnType<typeof useI18n>['t']): Option {
  return useMemo(() => {
    if (!topology) return {};
    const nodes = showAccess ? topology.nodes : topology.nodes.filter((n) => n.kind !== 'access');
    const shown = new Set(nodes.map((n) => n.id));
    const links = topology.links.filter((l) => shown.has(l.aId) && shown.has(l.bId));
    const at = layoutByRing(nodes, links);
    const lost = new Set(failure?.link.id === selected ? failure.lostNodeIds : []);
    return {
      tooltip: { trigger: 'item', confine: true },
      animation: false,
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          scaleLimit: { min: 0.3, max: 6 },
          label: { show: true, position: 'right', fontSize: 10, formatter: (p: { data: { short: string } }) => p.data.short },
          labelLayout: { hideOverlap: true },
          edgeLabel: { show: true, fontSize: 9, color: '#595959', formatter: (p: { data: { label: string } }) => p.data.label },
          emphasis: { focus: 'adjacency', lineStyle: { width: 6 } },
          data: nodes.map((n) => {
            const p = at.get(n.id)!;
            const isLost = lost.has(n.id);
            return {
              id: n.id,
              name: `${n.name}（${t(`extranet.kind.${n.kind}`)}）`,
              short: n.kind === 'access' ? '' : n.name,
              x: p.x,
              y: p.y,
              symbolSize: KIND_SIZES[n.kind],
              itemStyle: {
                color: isLost ? STATE_COLOURS.down : KIND_COLOURS[n.kind],
                borderColor: n.lastState === 'down' ? STATE_COLOURS.down : n.lastState === 'up' ? STATE_COLOURS.up : '#fff',
                borderWidth: n.lastState ? 3 : 1,
              },
            };
          }),
          links: links.map((l) => ({
            source: l.aId,
            target: l.bId,
            linkId: l.id,
            label: l.kind === 'access' ? '' : bandwidthLabel(l.bandwidthMbps),
            name: `${t(`extranet.link.${l.kind}`)}${l.ring ? ` · ${l.ring}` : ''} · ${bandwidthLabel(l.bandwidthMbps)} · ${t(`extranet.legend.${l.state}`)}`,
            lineStyle: {
              color: STATE_COLOURS[l.state],
              width: (l.id === selected ? 3 : 0) + Math.max(1, Math.log10(l.bandwidthMbps) - 1),
              type: l.bridge ? 'dashed' : 'solid',
              opacity: l.id === selected ? 1 : 0.8,
            },
          })),
        },
      ],
    } as Option;
  }, [topology, showAccess, selected, failure, t]);
}

export default function TopologyPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const topology = useFetch('topology', (signal) => extranetApi.topology(signal));
  const coverage = useFetch('coverage', (signal) => extranetApi.coverage(signal));
  const bridges = useFetch('bridges', (signal) => extranetApi.bridges(signal));
  const [showAccess, setShowAccess] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const failure = useFetch(selected ?? '', (signal) => (selected ? extranetApi.failure(selected, signal) : Promise.resolve(null)));
  const [probing, setProbing] = useState(false);
  const option = useDiagramOption(topology.data, showAccess, selected, failure.data, t);
  const names = useMemo(() => new Map((topology.data?.nodes ?? []).map((n) => [n.id, n.name])), [topology.data]);
  const linkName = useCallback((l: ExtranetLink) => `${names.get(l.aId) ?? '?'} — ${names.get(l.bId) ?? '?'}`, [names]);
  const { reload: reloadTopology } = topology;
  const { reload: reloadCoverage } = coverage;
  const { reload: reloadBridges } = bridges;
  const { reload: reloadFailure } = failure;
  const reloadAll = useCallback(() => {
    reloadTopology();
    reloadCoverage();
    reloadBridges();
    reloadFailure();
  }, [reloadTopology, reloadCoverage, reloadBridges, reloadFailure]);
  // a deleted link can no longer be the selected one
  useEffect(() => {
    if (selected && topology.data && !topology.data.links.some((l) => l.id === selected)) setSelected(null);
  }, [selected, topology.data]);

  const probe = async () => {
    setProbing(true);
    try {
      const run = await extranetApi.probe();
      message.success(t('extranet.probed', { n: run.probed }));
      reloadAll();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setProbing(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('extranet.title')}
        extra={
          <Space wrap>
            <Space size={4}>
              <Switch size="small" checked={showAccess} onChange={setShowAccess} aria-label={t('extranet.showAccess')} data-testid="extranet-show-access" />
              <Typography.Text>{t('extranet.showAccess')}</Typography.Text>
            </Space>
            {can('extranet.manage') ? (
              <Button icon={<ThunderboltOutlined />} loading={probing} onClick={() => void probe()}>
                {t('extranet.probeNow')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {topology.error ? <ErrorAlert error={topology.error} onRetry={topology.reload} /> : null}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={t('extranet.diagram')}
            extra={
              <Space wrap size={4}>
                <Tag color="success">{t('extranet.legend.up')}</Tag>
                <Tag color="error">{t('extranet.legend.down')}</Tag>
                <Tag>{t('extranet.legend.unknown')}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('extranet.legend.bridge')}
                </Typography.Text>
              </Space>
            }
          >
            {topology.data && topology.data.nodes.length === 0 ? <Empty /> : <Diagram option={option} label={t('extranet.diagram')} onLink={setSelected} />}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <FailureCard failure={selected ? failure.data : null} error={failure.error} loading={failure.loading && selected !== null} linkName={linkName} />
        </Col>
        <Col xs={24} lg={12}>
          <CoverageCard coverage={coverage.data} error={coverage.error} loading={coverage.loading} />
        </Col>
        <Col xs={24} lg={12}>
          <BridgesCard bridges={bridges.data} error={bridges.error} loading={bridges.loading} linkName={linkName} selected={selected} onSelect={setSelected} />
        </Col>
        {can('extranet.manage') ? (
          <>
            <Col xs={24} xl={12}>
              <NodesCard topology={topology.data} onChanged={reloadAll} />
            </Col>
            <Col xs={24} xl={12}>
              <LinksCard topology={topology.data} linkName={linkName} onChanged={reloadAll} />
            </Col>
          </>
        ) : null}
      </Row>
    </>
  );
}

function FailureCard({ failure, error, loading, linkName }: { failure: Failure | null; error: unknown; loading: boolean; linkName: (l: ExtranetLink) => string }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('extranet.failure')} loading={loading} data-testid="extranet-failure">
      {error ? <ErrorAlert error={error} /> : null}
      {!failure ? (
        <Typography.Text type="secondary">{t('extranet.failure.hint')}</Typography.Text>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{linkName(failure.link)}</Typography.Text>
          <Space wrap size={4}>
            <Tag>{t(`extranet.link.${failure.link.kind}`)}</Tag>
            <Tag>{bandwidthLabel(failure.link.bandwidthMbps)}</Tag>
            <Tag color={failure.link.state === 'up' ? 'success' : failure.link.state === 'down' ? 'error' : 'default'}>{t(`extranet.legend.${failure.link.state}`)}</Tag>
          </Space>
          {failure.lostNodeIds.length === 0 ? (
            <Typography.Text type="success">{t('extranet.failure.none')}</Typography.Text>
          ) : (
            <>
              <Typography.Text type="danger">{t('extranet.failure.lost', { nodes: failure.lostNodeIds.length, departments: failure.departments.length })}</Typography.Text>
              <Table size="small" rowKey="id" pagination={{ pageSize: 8, size: 'small' }} dataSource={failure.departments} columns={[{ title: t('extranet.department'), dataIndex: 'name', key: 'name' }]} />
            </>
          )}
        </Space>
      )}
    </Card>
  );
}

function CoverageCard({ coverage, error, loading }: { coverage: Coverage | null; error: unknown; loading: boolean }) {
  const { t } = useI18n();
  const rows = coverage ? [...coverage.counties, { ...coverage.total, regionName: t('extranet.total'), regionCode: '__total' }] : [];
  return (
    <Card size="small" title={t('extranet.coverage')} data-testid="extranet-coverage">
      {error ? <ErrorAlert error={error} /> : null}
      <Table
        size="small"
        rowKey="regionCode"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={[
          { title: t('extranet.region'), dataIndex: 'regionName', key: 'regionName' },
          { title: t('extranet.departments'), dataIndex: 'departments', key: 'departments', align: 'right' as const },
          { title: t('extranet.connected'), dataIndex: 'connected', key: 'connected', align: 'right' as const },
          { title: t('extranet.reaching'), dataIndex: 'reaching', key: 'reaching', align: 'right' as const },
          {
            title: t('extranet.share'),
            dataIndex: 'share',
            key: 'share',
            width: 140,
            render: (share: number) => <Progress percent={Math.round(share * 1000) / 10} size="small" strokeColor={share < 0.9 ? '#fa8c16' : undefined} />,
          },
        ]}
      />
    </Card>
  );
}

function BridgesCard({
  bridges,
  error,
  loading,
  linkName,
  selected,
  onSelect,
}: {
  bridges: Bridges | null;
  error: unknown;
  loading: boolean;
  linkName: (l: ExtranetLink) => string;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Card size="small" title={`${t('extranet.bridges')}${bridges ? `（${bridges.items.length}）` : ''}`} data-testid="extranet-bridges">
      {error ? <ErrorAlert error={error} /> : null}
      <Table
        size="small"
        rowKey={(row) => row.link.id}
        loading={loading}
        pagination={{ pageSize: 8, size: 'small', showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        dataSource={bridges?.items ?? []}
        rowClassName={(row) => (row.link.id === selected ? 'ant-table-row-selected' : '')}
        onRow={(row) => ({ onClick: () => onSelect(row.link.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('extranet.bridge.link'), key: 'link', render: (_: unknown, row) => linkName(row.link) },
          { title: t('extranet.bandwidth'), key: 'bw', render: (_: unknown, row) => bandwidthLabel(row.link.bandwidthMbps) },
          { title: t('extranet.bridge.lostNodes'), dataIndex: 'lostNodes', key: 'lostNodes', align: 'right' as const },
          { title: t('extranet.bridge.departments'), dataIndex: 'departments', key: 'departments', align: 'right' as const },
        ]}
      />
    </Card>
  );
}
