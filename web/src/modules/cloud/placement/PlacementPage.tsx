// /cloud/placement — 资源调度: the hosts in your scope as cards with their VMs stacked on a vCPU and a memory bar, the
// pool's policy (changed with cloud.manage) and N+k state; tick hosts to fail and see where each VM would restart and
// which would not fit (in red).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Empty, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { call, client } from '../../../api/client.ts';
import type { BodyOf, ResponseOf } from '../../../api/types.ts';
import { useAuth, useI18n } from '../../../context.tsx';
import { PageHeader } from '../../../Layout.tsx';
import { en, zh } from './messages.ts';

type View = ResponseOf<'/api/cloud/placement', 'get'>;
type Host = View['hosts'][number];
type Simulation = ResponseOf<'/api/cloud/placement/simulate', 'post'>;
type PolicyBody = BodyOf<'/api/cloud/placement/policy', 'put'>;
type Key = keyof typeof zh;

const placementApi = {
  view: (signal?: AbortSignal) => call(client.GET('/api/cloud/placement', { signal })),
  setPolicy: (body: PolicyBody) => call(client.PUT('/api/cloud/placement/policy', { body })),
  simulate: (hostIds: string[]) => call(client.POST('/api/cloud/placement/simulate', { body: { hostIds } })),
};

/** This page's strings in the console's language (the cloud module merges them into the shared dictionary at merge). */
function useText() {
  const { lang } = useI18n();
  return useCallback(
    (key: Key, params?: Record<string, string | number>) => {
      const template = (lang === 'zh-CN' ? zh : en)[key];
      return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
    },
    [lang],
  );
}

const COLOURS = ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#722ed1', '#eb2f96', '#2f54eb', '#fa8c16'];

/** A bar of `total` with one segment per VM (its share of `dimension`) and the free rest. */
function StackedBar({ host, dimension, label, tx }: { host: Host; dimension: 'vcpus' | 'memoryMb'; label: string; tx: ReturnType<typeof useText> }) {
  const total = host[dimension];
  const used = dimension === 'vcpus' ? host.vcpusAllocated : host.memoryMbAllocated;
  const unit = (n: number) => (dimension === 'vcpus' ? `${n}` : `${Math.round(n / 1024)} GB`);
  return (
    <div style={{ marginBottom: 6 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 12, color: '#666' }}>
        <span>{label}</span>
        <span>
          {unit(used)} / {unit(total)}
        </span>
      </div>
      <div style={{ display: 'flex', height: 14, background: '#f0f0f0', borderRadius: 3, overflow: 'hidden' }} role="img" aria-label={`${label} ${unit(used)} / ${unit(total)}`}>
        {host.vms.map((vm, i) => (
          <Tooltip key={vm.id ?? `other-${i}`} title={`${vm.name ?? tx('placement.otherVm')} · ${vm.vcpus} vCPU · ${Math.round(vm.memoryMb / 1024)} GB${vm.haGroup ? ` · HA ${vm.haGroup}` : ''}`}>
            <div style={{ width: `${(100 * vm[dimension]) / Math.max(1, total)}%`, background: vm.id ? COLOURS[i % COLOURS.length] : '#bfbfbf', borderRight: '1px solid #fff' }} />
          </Tooltip>
        ))}
      </div>
    </div>
  );
}

export default function PlacementPage() {
  const { problem, lang } = useI18n();
  const { can } = useAuth();
  const tx = useText();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<View | null>(null);
  const [failed, setFailed] = useState<string[]>([]);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [policy, setPolicy] = useState<PolicyBody | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) =>
      placementApi
        .view(signal)
        .then((v) => {
          setView(v);
          setPolicy({ weigher: v.policy.weigher, reserveHosts: v.policy.reserveHosts, reserveShortfall: v.policy.reserveShortfall, version: v.policy.version });
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) void message.error(problem(err));
        }),
    [message, problem],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const hostsById = useMemo(() => new Map((view?.hosts ?? []).map((h) => [h.id, h])), [view]);
  const vmNames = useMemo(() => new Map((view?.hosts ?? []).flatMap((h) => h.vms.flatMap((v) => (v.id ? [[v.id, v.name ?? '']] : [])))), [view]);
  const toggle = (id: string, on: boolean) => {
    setSimulation(null);
    setFailed((f) => (on ? [...f, id] : f.filter((x) => x !== id)));
  };
  const simulate = async () => {
    setBusy(true);
    try {
      setSimulation(await placementApi.simulate(failed));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  const savePolicy = async () => {
    if (!policy) return;
    setBusy(true);
    try {
      await placementApi.setPolicy(policy);
      void message.success(tx('placement.saved'));
      await load();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };

  const k = view?.policy.reserveHosts ?? 0;
  const broken = view?.reserve.components.filter((c) => !c.holds) ?? [];
  const stranded = new Set(simulation?.moves.filter((m) => m.outcome === 'stranded').map((m) => m.fromHostId));

  return (
    <div className="page">
      <PageHeader
        title={tx('placement.title')}
        extra={
          view && policy ? (
            <Space wrap>
              <span>{tx('placement.policy')}</span>
              <Select<'spread' | 'stack'>
                value={policy.weigher}
                disabled={!can('cloud.manage')}
                style={{ width: 250 }}
                onChange={(weigher) => setPolicy({ ...policy, weigher })}
                options={[
                  { value: 'spread', label: tx('placement.weigher.spread') },
                  { value: 'stack', label: tx('placement.weigher.stack') },
                ]}
                data-testid="placement-weigher"
              />
              <Select<number>
                value={policy.reserveHosts}
                disabled={!can('cloud.manage')}
                style={{ width: 100 }}
                onChange={(reserveHosts) => setPolicy({ ...policy, reserveHosts })}
                options={[0, 1, 2].map((n) => ({ value: n, label: tx('placement.reserve.n', { n }) }))}
                aria-label={tx('placement.reserve')}
              />
              <span>{tx('placement.shortfall')}</span>
              <Select<'place' | 'refuse'>
                value={policy.reserveShortfall ?? 'place'}
                disabled={!can('cloud.manage')}
                style={{ width: 140 }}
                onChange={(reserveShortfall) => setPolicy({ ...policy, reserveShortfall })}
                options={[
                  { value: 'place', label: tx('placement.shortfall.place') },
                  { value: 'refuse', label: tx('placement.shortfall.refuse') },
                ]}
                aria-label={tx('placement.shortfall')}
                data-testid="placement-shortfall"
              />
              {can('cloud.manage') ? (
                <Button type="primary" loading={busy} onClick={() => void savePolicy()} data-testid="placement-save">
                  {tx('placement.save')}
                </Button>
              ) : null}
            </Space>
          ) : null
        }
      />
      {view ? (
        <Alert
          style={{ marginBottom: 12 }}
          type={k === 0 ? 'info' : broken.length === 0 ? 'success' : 'error'}
          showIcon
          message={
            k === 0
              ? tx('placement.noReserve')
              : broken.length === 0
                ? tx('placement.reserveHolds', { n: k })
                : `${tx('placement.reserveBroken', { n: k, zones: broken.map((c) => c.zones.join('/')).join('、') })}${lang === 'zh-CN' ? '；' : '. '}${tx(`placement.reserveBroken.${view.policy.reserveShortfall}`)}`
          }
          data-testid="placement-reserve"
        />
      ) : null}
      {policy ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="placement-shortfall-explain">
          {tx(`placement.shortfall.explain.${policy.reserveShortfall ?? 'place'}`)}
        </Typography.Paragraph>
      ) : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{tx('placement.hosts', { n: view?.hosts.length ?? 0 })}</Typography.Text>
        <Button type="primary" danger disabled={failed.length === 0} loading={busy} onClick={() => void simulate()} data-testid="placement-simulate">
          {tx('placement.simulate', { n: failed.length })}
        </Button>
        <Button disabled={failed.length === 0} onClick={() => (setFailed([]), setSimulation(null))}>
          {tx('placement.clear')}
        </Button>
      </Space>
      {simulation ? (
        <Card size="small" title={tx('placement.result')} style={{ marginBottom: 12 }} data-testid="placement-result">
          <Typography.Paragraph type={simulation.totals.stranded > 0 ? 'danger' : 'success'} strong>
            {tx('placement.totals', { vms: simulation.totals.vms, restarted: simulation.totals.restarted, stranded: simulation.totals.stranded, vcpus: simulation.totals.vcpusStranded })}
          </Typography.Paragraph>
          <Table<Simulation['moves'][number]>
            size="small"
            rowKey={(m) => `${m.fromHostId}-${m.vmId ?? ''}-${m.vcpus}-${m.toHostId ?? ''}-${m.memoryMb}-${simulation.moves.indexOf(m)}`}
            dataSource={simulation.moves}
            pagination={simulation.moves.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 640 }}
            rowClassName={(m) => (m.outcome === 'stranded' ? 'placement-stranded' : '')}
            columns={[
              { key: 'vm', title: tx('placement.vm'), width: 200, render: (_, m) => (m.vmId ? (m.vmName ?? vmNames.get(m.vmId)) : <Typography.Text type="secondary">{tx('placement.otherVm')}</Typography.Text>) },
              { key: 'size', title: `${tx('placement.vcpu')} / ${tx('placement.memory')}`, width: 130, render: (_, m) => `${m.vcpus} / ${Math.round(m.memoryMb / 1024)} GB` },
              { key: 'from', title: tx('placement.from'), width: 130, render: (_, m) => hostsById.get(m.fromHostId)?.code ?? m.fromHostId },
              {
                key: 'to',
                title: tx('placement.to'),
                render: (_, m) =>
                  m.outcome === 'stranded' ? (
                    <Typography.Text type="danger" strong data-testid="placement-stranded">
                      {tx('placement.noRoom')}：{m.reason ? tx(`placement.reason.${m.reason}` as Key) : ''}
                    </Typography.Text>
                  ) : (
                    (m.toHostCode ?? tx('placement.outsideScope'))
                  ),
              },
            ]}
          />
        </Card>
      ) : null}
      {view && view.hosts.length === 0 ? <Empty description={tx('placement.empty')} /> : null}
      <Row gutter={[12, 12]}>
        {(view?.hosts ?? []).map((h) => {
          const isFailed = failed.includes(h.id);
          return (
            <Col key={h.id} xs={24} md={12} xl={8} xxl={6}>
              <Card
                size="small"
                data-testid="placement-host"
                style={{ borderColor: isFailed ? (stranded.has(h.id) ? '#ff4d4f' : '#faad14') : undefined, borderWidth: isFailed ? 2 : 1 }}
                title={
                  <Space size={4} wrap>
                    <span>{h.code}</span>
                    <Tag color={h.state === 'up' ? 'green' : h.state === 'down' ? 'red' : 'orange'}>{tx(`placement.state.${h.state}` as Key)}</Tag>
                  </Space>
                }
                extra={
                  <Checkbox checked={isFailed} disabled={h.state !== 'up'} onChange={(e) => toggle(h.id, e.target.checked)} data-testid={`placement-fail-${h.code}`}>
                    {tx('placement.fail')}
                  </Checkbox>
                }
              >
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {h.name} · {h.roomName} · {h.zones.join('、')} · {tx('placement.vms', { n: h.vms.length })}
                </Typography.Text>
                <StackedBar host={h} dimension="vcpus" label={tx('placement.vcpu')} tx={tx} />
                <StackedBar host={h} dimension="memoryMb" label={tx('placement.memory')} tx={tx} />
              </Card>
            </Col>
          );
        })}
      </Row>
    </div>
  );
}
