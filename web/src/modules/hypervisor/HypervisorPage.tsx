// /cloud/hypervisor — reconcile now: per host, whether its libvirt answered, its domain count, the state changes made
// and the unknown gc- domains reported; a host's connection check from its row.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Space, Table, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { hypervisorApi, type HostCheck, type HostReport } from './api.ts';

export default function HypervisorPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [hosts, setHosts] = useState<HostReport[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [checks, setChecks] = useState<Record<string, HostCheck | 'busy'>>({});

  const reconcile = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await hypervisorApi.reconcile();
      setHosts(r.hosts);
      void message.success(t('hypervisor.done', { hosts: r.hosts.length, changes: r.hosts.reduce((n, h) => n + h.changes.length, 0) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const check = async (id: string) => {
    setChecks((c) => ({ ...c, [id]: 'busy' }));
    try {
      const r = await hypervisorApi.check(id);
      setChecks((c) => ({ ...c, [id]: r }));
    } catch (e) {
      setError(e);
      setChecks((c) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== id)));
    }
  };

  const stateLabel = (s: string) => {
    const key = `hypervisor.state.${s}`;
    const label = t(key as 'hypervisor.state.running');
    return label === key ? s : label;
  };

  return (
    <div data-testid="hypervisor-page" style={{ minWidth: 0, overflowX: 'auto', overflowWrap: 'anywhere' }}>
      <PageHeader
        title={t('hypervisor.title')}
        extra={
          <Button type="primary" loading={busy} onClick={() => void reconcile()} data-testid="hypervisor-reconcile">
            {t('hypervisor.reconcile')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('hypervisor.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table<HostReport>
        rowKey="hostId"
        size="middle"
        dataSource={hosts ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('hypervisor.empty') }}
        columns={[
          { title: t('hypervisor.host'), dataIndex: 'code', key: 'code' },
          {
            title: t('hypervisor.reachable'),
            key: 'reachable',
            render: (_, h) => (h.reachable ? <Tag color="green">{t('hypervisor.reachable.yes')}</Tag> : <Tag color="red" title={h.error}>{t('hypervisor.reachable.no')}</Tag>),
          },
          { title: t('hypervisor.domains'), dataIndex: 'domains', key: 'domains', align: 'right' },
          {
            title: t('hypervisor.changes'),
            key: 'changes',
            render: (_, h) =>
              h.changes.length === 0 ? (
                t('hypervisor.none')
              ) : (
                <Space direction="vertical" size={0} data-testid="hypervisor-changes">
                  {h.changes.map((c) => (
                    <span key={c.vmId}>
                      {c.domain}：{stateLabel(c.from)} → {stateLabel(c.to)}
                    </span>
                  ))}
                </Space>
              ),
          },
          { title: t('hypervisor.unknown'), key: 'unknown', render: (_, h) => (h.unknown.length ? h.unknown.map((u) => u.name).join('、') : t('hypervisor.none')) },
          {
            title: '',
            key: 'check',
            render: (_, h) => {
              const c = checks[h.hostId];
              return (
                <Space direction="vertical" size={4}>
                  <Button size="small" loading={c === 'busy'} onClick={() => void check(h.hostId)} data-testid={`hypervisor-check-${h.code}`}>
                    {t('hypervisor.check')}
                  </Button>
                  {c && c !== 'busy' ? (
                    <Alert
                      type={c.connected ? 'success' : 'warning'}
                      showIcon
                      data-testid={`hypervisor-check-result-${h.code}`}
                      title={c.connected ? t('hypervisor.connected', { hypervisor: c.hypervisor ?? '', library: c.library ?? '', domains: c.domains ?? 0, running: c.running ?? 0 }) : t('hypervisor.notConnected', { message: c.error?.message ?? '' })}
                    />
                  ) : null}
                </Space>
              );
            },
          },
        ]}
      />
    </div>
  );
}
