// /cloud/vms — 虚拟机: VMs in the caller's jurisdiction with filters; a drawer with one VM's detail and its lifecycle ledger.
import { useState } from 'react';
import { Descriptions, Drawer, Input, Select, Space, Table, Tag, Timeline } from 'antd';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type VmQuery, type VmView } from './api.ts';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const PAGE = 20;
const STATE_COLOR: Partial<Record<VmView['state'], string>> = { running: 'green', stopped: 'default', suspended: 'orange', error: 'red', missing: 'red', provisioning: 'blue', placing: 'blue' };
const STATES = ['running', 'stopped', 'suspended', 'provisioning', 'error', 'missing', 'decommissioned'] as const;

export default function VmsPage() {
  const { t } = useI18n();
  const [query, setQuery] = useState<VmQuery>({});
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useFetch(`vms:${JSON.stringify(query)}:${page}`, (signal) => cloudApi.vms({ ...query, offset: (page - 1) * PAGE, limit: PAGE }, signal));
  const set = (patch: Partial<VmQuery>) => (setQuery((q) => ({ ...q, ...patch })), setPage(1));
  return (
    <div className="page" data-testid="cloud-vms">
      <PageHeader title={t('cloud.vms.title')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('cloud.search')} onSearch={(q) => set({ q: q || undefined })} style={{ width: 240 }} />
        <Select allowClear placeholder={t('cloud.state')} style={{ width: 140 }} onChange={(v?: VmView['state']) => set({ state: v })} options={STATES.map((s) => ({ value: s, label: t(`cloud.vm.${s}` as Key) }))} />
      </Space>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      <Table<VmView>
        rowKey="id"
        size="small"
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 980 }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'name', title: t('cloud.name'), width: 240, fixed: 'left', render: (_, v) => v.name },
          { key: 'dept', title: t('cloud.department'), width: 180, render: (_, v) => v.department.name },
          { key: 'system', title: t('cloud.system'), width: 180, render: (_, v) => v.system?.name ?? '—' },
          { key: 'shape', title: t('cloud.shape'), width: 120, render: (_, v) => `${v.vcpus}C / ${Math.round(v.memoryMb / 1024)}G` },
          { key: 'host', title: t('cloud.host'), width: 120, render: (_, v) => v.host?.code ?? '—' },
          { key: 'zone', title: t('cloud.zone'), width: 120, render: (_, v) => v.zoneCode },
          { key: 'state', title: t('cloud.state'), width: 90, render: (_, v) => <Tag color={STATE_COLOR[v.state] ?? 'default'}>{t(`cloud.vm.${v.state}` as Key)}</Tag> },
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width="min(560px, 100vw)" title={t('cloud.vms.title')} destroyOnHidden>
        {open ? <VmDetail id={open} /> : null}
      </Drawer>
    </div>
  );
}

function VmDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const vm = useFetch(`vm:${id}`, (signal) => cloudApi.vm(id, signal));
  if (vm.error) return <ErrorAlert error={vm.error} />;
  const v = vm.data;
  if (!v) return null;
  return (
    <div data-testid="cloud-vm-detail">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('cloud.name')}>{v.name}</Descriptions.Item>
        <Descriptions.Item label="domain">{v.domainName}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.department')}>{v.department.name}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.system')}>{v.system?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.shape')}>{`${v.vcpus} vCPU / ${Math.round(v.memoryMb / 1024)} GB / ${v.diskGb} GB`}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.image')}>{v.imageCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.host')}>{v.host ? `${v.host.code} ${v.host.name}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.zone')}>{v.zoneCode}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.haGroup')}>{v.haGroup ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.state')}>{t(`cloud.vm.${v.state}` as Key)}</Descriptions.Item>
        <Descriptions.Item label={t('cloud.replaced')}>{v.legacyServers.map((s) => `${s.roomName} ${s.name}`).join('、') || '—'}</Descriptions.Item>
      </Descriptions>
      <h4 style={{ marginTop: 16 }}>{t('cloud.events')}</h4>
      <Timeline items={v.events.map((e) => ({ color: e.outcome === 'failed' || e.outcome === 'rolled_back' ? 'red' : e.outcome === 'succeeded' ? 'green' : 'blue', children: `${new Date(e.at).toLocaleString('zh-CN')} ${e.action} · ${e.outcome} → ${e.state}` }))} />
    </div>
  );
}
