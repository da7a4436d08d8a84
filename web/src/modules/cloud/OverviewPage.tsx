// /cloud/overview — 资源总览: the pool's hosts with their allocation (chart and bars), the SAN pools, the machine rooms
// (the data centre and the pre-consolidation rooms it replaced).
import { useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Col, Dropdown, Input, Progress, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type HostState, type HostView, type RoomView } from './api.ts';
import { BarChart, fullness } from './BarChart.tsx';
import { RoomForm } from './RoomForm.tsx';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const STATE_COLOR: Record<HostState, string> = { up: 'green', maintenance: 'orange', down: 'red' };
const PAGE = 20;

export default function OverviewPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const manage = useAuth().can('cloud.manage');
  const hosts = useFetch('hosts', (signal) => cloudApi.hosts(signal));
  const pools = useFetch('pools', (signal) => cloudApi.pools(signal));
  const [kind, setKind] = useState<RoomView['kind'] | undefined>(undefined);
  const [page, setPage] = useState(1);
  /** The room dialog: 'new' adds one, a room edits it. */
  const [roomDialog, setRoomDialog] = useState<RoomView | 'new' | null>(null);
  const [q, setQ] = useState<string | undefined>(undefined);
  const rooms = useFetch(`rooms:${kind ?? ''}:${q ?? ''}:${page}`, (signal) => cloudApi.rooms({ kind, q, offset: (page - 1) * PAGE, limit: PAGE }, signal));
  const items = useMemo(() => hosts.data?.items ?? [], [hosts.data]);
  const totals = useMemo(() => {
    const sum = (f: (h: HostView) => number) => items.reduce((a, h) => a + f(h), 0);
    const cap = sum((h) => h.vcpusCapacity);
    const mem = sum((h) => h.memoryMbCapacity);
    return { hosts: items.length, vms: sum((h) => h.vms), cpu: cap ? Math.round((sum((h) => h.vcpusAllocated) / cap) * 1000) / 10 : 0, mem: mem ? Math.round((sum((h) => h.memoryMbAllocated) / mem) * 1000) / 10 : 0 };
  }, [items]);
  const series = useMemo(
    () => [
      { name: t('cloud.cpu'), data: items.map((h) => h.cpuAllocatedPct), color: '#1456b8' },
      { name: t('cloud.memory'), data: items.map((h) => h.memoryAllocatedPct), color: '#13a8a8' },
    ],
    [items, t],
  );
  const setState = async (h: HostView, state: HostState) => {
    try {
      await cloudApi.setHostState(h.id, state);
      hosts.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  return (
    <div className="page" data-testid="cloud-overview">
      <PageHeader title={t('cloud.overview.title')} />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('cloud.hosts')} value={totals.hosts} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('cloud.vmCount')} value={totals.vms} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('cloud.cpu')} value={totals.cpu} suffix="%" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('cloud.memory')} value={totals.mem} suffix="%" /></Card></Col>
      </Row>
      <Card size="small" title={t('cloud.hosts')} style={{ marginBottom: 12 }}>
        <BarChart categories={items.map((h) => h.code)} series={series} label={t('cloud.hosts')} max={100} unit="%" testId="cloud-host-chart" />
        <Table<HostView>
          rowKey="id"
          size="small"
          loading={hosts.loading && !hosts.data}
          dataSource={items}
          pagination={false}
          scroll={{ x: 860 }}
          columns={[
            { key: 'code', title: t('cloud.code'), width: 120, fixed: 'left', render: (_, h) => h.code },
            { key: 'name', title: t('cloud.name'), width: 120, render: (_, h) => h.name },
            { key: 'state', title: t('cloud.state'), width: 90, render: (_, h) => <Tag color={STATE_COLOR[h.state]}>{t(`cloud.host.${h.state}` as Key)}</Tag> },
            { key: 'cpu', title: t('cloud.cpu'), width: 170, render: (_, h) => <Progress percent={h.cpuAllocatedPct} size="small" strokeColor={fullness(h.cpuAllocatedPct)} format={() => `${h.vcpusAllocated}/${h.vcpusCapacity}`} /> },
            { key: 'mem', title: t('cloud.memory'), width: 170, render: (_, h) => <Progress percent={h.memoryAllocatedPct} size="small" strokeColor={fullness(h.memoryAllocatedPct)} format={() => `${Math.round(h.memoryMbAllocated / 1024)}/${Math.round(h.memoryMbCapacity / 1024)} G`} /> },
            { key: 'vms', title: t('cloud.vmCount'), width: 80, render: (_, h) => h.vms },
            { key: 'zones', title: t('cloud.zones'), width: 200, render: (_, h) => h.zones.map((z) => <Tag key={z}>{z}</Tag>) },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    title: '',
                    width: 110,
                    render: (_: unknown, h: HostView) => (
                      <Dropdown menu={{ items: (['up', 'maintenance', 'down'] as const).filter((s) => s !== h.state).map((s) => ({ key: s, label: t(`cloud.host.${s}` as Key), onClick: () => void setState(h, s) })) }}>
                        <Button size="small">{t('cloud.setState')}</Button>
                      </Dropdown>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('cloud.pools')} style={{ marginBottom: 12 }}>
        <Row gutter={[12, 12]}>
          {(pools.data?.items ?? []).map((p) => (
            <Col xs={24} md={12} key={p.id}>
              <div>
                {p.name} <Tag>{t(`cloud.kind.${p.kind}` as Key)}</Tag>
              </div>
              <Progress percent={p.allocatedPct} strokeColor={fullness(p.allocatedPct)} format={() => `${(p.allocatedGb / 1024).toFixed(1)} / ${(p.capacityGb / 1024).toFixed(0)} TB`} />
            </Col>
          ))}
        </Row>
      </Card>
      <Card size="small" title={t('cloud.rooms')}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select allowClear placeholder={t('cloud.kind')} style={{ width: 150 }} value={kind} onChange={(v?: RoomView['kind']) => (setKind(v), setPage(1))} options={(['datacenter', 'legacy_department', 'legacy_community'] as const).map((k) => ({ value: k, label: t(`cloud.kind.${k}` as Key) }))} />
          <Input.Search allowClear placeholder={t('cloud.search')} style={{ width: 200 }} onSearch={(v) => (setQ(v.trim() || undefined), setPage(1))} data-testid="cloud-room-search" />
          {manage ? (
            <Button icon={<PlusOutlined />} onClick={() => setRoomDialog('new')} data-testid="cloud-room-add">
              {t('cloud.room.add')}
            </Button>
          ) : null}
        </Space>
        <Table<RoomView>
          rowKey="id"
          size="small"
          loading={rooms.loading && !rooms.data}
          dataSource={rooms.data?.items ?? []}
          scroll={{ x: 820 }}
          pagination={{ current: page, pageSize: PAGE, total: rooms.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { key: 'name', title: t('cloud.name'), width: 240, render: (_, r) => r.name },
            { key: 'kind', title: t('cloud.kind'), width: 110, render: (_, r) => t(`cloud.kind.${r.kind}` as Key) },
            { key: 'region', title: t('cloud.region'), width: 160, render: (_, r) => r.regionName },
            { key: 'servers', title: t('cloud.servers'), width: 80, render: (_, r) => (r.kind === 'datacenter' ? r.hosts : r.servers) },
            { key: 'power', title: t('cloud.powerKw'), width: 90, render: (_, r) => r.powerKw.toFixed(2) },
            { key: 'status', title: t('cloud.state'), width: 90, render: (_, r) => <Tag color={r.status === 'active' ? 'green' : 'default'}>{t(`cloud.room.status.${r.status}` as Key)}</Tag> },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    title: '',
                    width: 60,
                    render: (_: unknown, r: RoomView) => <Button size="small" icon={<EditOutlined />} aria-label={`${t('cloud.room.edit')} ${r.name}`} data-testid={`cloud-room-edit-${r.code}`} onClick={() => setRoomDialog(r)} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {roomDialog ? <RoomForm room={roomDialog === 'new' ? undefined : roomDialog} onCancel={() => setRoomDialog(null)} onDone={() => (setRoomDialog(null), rooms.reload())} /> : null}
    </div>
  );
}
