// /cloud/requests/:id — one request: its state timeline, the decisions the caller may take, its VM (state, host) with
// the lifecycle buttons the server allows, and the VM's ledger.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Spin, Table, Tag, Timeline } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { applyProblem } from '../../components/FormModal.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate, useParams } from '../../router.tsx';
import { selfserviceApi, type DirectAction, type RequestOptions, type RequestView, type VmAbility } from './api.ts';
import { DecisionModal, shape, StateTag, type Key } from './parts.tsx';

export default function RequestPage() {
  const { id } = useParams<'id'>();
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<RequestView | null>(null);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [asking, setAsking] = useState<'resize' | 'decommission' | null>(null);
  const [flavours, setFlavours] = useState<RequestOptions['flavours']>([]);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ flavourCode?: string; diskGb?: number | null; reason: string }>();

  const load = useCallback(
    (signal?: AbortSignal) =>
      selfserviceApi
        .get(id!, signal)
        .then(setView)
        .catch((err: unknown) => {
          if (!signal?.aborted) void message.error(problem(err));
        }),
    [id, message, problem],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const guarded = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      void message.success(done);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
      void load();
    }
  };
  const vmAction = (a: VmAbility) => {
    if (a === 'resize' || a === 'decommission') {
      if (a === 'resize' && flavours.length === 0) void selfserviceApi.options().then((o) => setFlavours(o.flavours));
      if (a === 'resize') form.setFieldsValue({ flavourCode: undefined, diskGb: view!.vm!.diskGb });
      setAsking(a);
      return;
    }
    void guarded(() => selfserviceApi.act(view!.vm!.id, a as DirectAction), t('selfservice.action.sent'));
  };
  const ask = async () => {
    // an invalid form shows its errors on the fields; nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const vm = view!.vm!;
      const change = { ...(v.flavourCode ? { flavourCode: v.flavourCode } : {}), ...(v.diskGb != null && v.diskGb !== vm.diskGb ? { diskGb: v.diskGb } : {}) };
      const created = asking === 'resize' ? await selfserviceApi.resize(vm.id, change, v.reason) : await selfserviceApi.decommission(vm.id, v.reason);
      setAsking(null);
      form.resetFields();
      navigate(`/cloud/requests/${created.id}`);
    } catch (err) {
      // the server's field (diskGb, flavourCode) on its form field; anything else as a message
      if (!applyProblem(form, err, problem(err))) void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };

  if (!view) return <Spin style={{ margin: 48 }} />;
  const canDecide = view.abilities.includes('approve_department') || view.abilities.includes('approve_platform');
  return (
    <div className="page">
      <PageHeader
        title={
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/cloud/requests')} />
            {view.requestNo}
            <StateTag state={view.state} />
            {view.autoApproved && <Tag>{t('selfservice.autoApproved')}</Tag>}
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        {canDecide && (
          <>
            <Button type="primary" onClick={() => setDeciding('approve')} data-testid="selfservice-approve">
              {t('selfservice.approve')}
            </Button>
            <Button danger onClick={() => setDeciding('reject')} data-testid="selfservice-reject">
              {t('selfservice.reject')}
            </Button>
          </>
        )}
        {view.abilities.includes('cancel') && (
          <Button loading={busy} onClick={() => void guarded(() => selfserviceApi.cancel(view.id), t('selfservice.saved'))} data-testid="selfservice-cancel">
            {t('selfservice.cancel')}
          </Button>
        )}
      </Space>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
          <Descriptions.Item label={t('selfservice.kind')}>{t(`selfservice.kind.${view.kind}` as Key)}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.name')}>{view.name}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.shape')}>{shape(view)}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.flavour')}>{view.flavourCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.image')}>{view.imageCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.zone')}>{view.zoneCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.system')}>{view.businessSystem?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.department')}>{view.department.name}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.requester')}>{view.requestedBy.name}</Descriptions.Item>
          <Descriptions.Item label={t('selfservice.reason')}>{view.reason}</Descriptions.Item>
          {view.decisionNote && <Descriptions.Item label={t('selfservice.decisionNote')}>{view.decisionNote}</Descriptions.Item>}
          {view.failure && <Descriptions.Item label={t('selfservice.failure')}><span data-testid="selfservice-failure">{view.failure}</span></Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card size="small" title={t('selfservice.timeline')} style={{ marginBottom: 12 }}>
        <Timeline
          data-testid="selfservice-timeline"
          items={view.timeline.map((e) => ({
            children: `${formatDateTime(e.at)} · ${t(`selfservice.step.${e.action}` as Key)}${e.actor ? `（${e.actor.name}）` : ''} → ${t(`selfservice.state.${e.toState}` as Key)}${e.note ? `：${e.note}` : ''}`,
          }))}
        />
      </Card>
      {view.vm && (
        <Card size="small" title={`${t('selfservice.vm')} · ${view.vm.name}`} style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
            <Descriptions.Item label={t('selfservice.vm.state')}>
              <Tag data-testid="selfservice-vm-state">{t(`selfservice.vmState.${view.vm.state}` as Key)}</Tag>
              {view.vm.stateDetail}
            </Descriptions.Item>
            <Descriptions.Item label={t('selfservice.vm.host')}>{view.vm.hostCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('selfservice.shape')}>{shape(view.vm)}</Descriptions.Item>
          </Descriptions>
          <Space wrap style={{ margin: '8px 0' }}>
            {view.vm.abilities.map((a) => (
              <Button key={a} size="small" danger={a === 'decommission'} loading={busy} onClick={() => vmAction(a)} data-testid={`selfservice-vm-${a}`}>
                {t(`selfservice.action.${a}` as Key)}
              </Button>
            ))}
          </Space>
          <Table
            rowKey="seq"
            size="small"
            pagination={false}
            scroll={{ x: 560 }}
            dataSource={view.vmEvents}
            columns={[
              { key: 'at', title: t('selfservice.ledger.at'), width: 160, render: (_, e) => formatDateTime(e.at) },
              { key: 'action', title: t('selfservice.ledger.action'), width: 110, render: (_, e) => (ACTION_LABELS.has(`selfservice.action.${e.action}`) ? t(`selfservice.action.${e.action}` as Key) : e.action) },
              { key: 'outcome', title: t('selfservice.ledger.outcome'), width: 100, render: (_, e) => (OUTCOMES.has(e.outcome) ? t(`selfservice.outcome.${e.outcome}` as Key) : e.outcome) },
              { key: 'state', title: t('selfservice.vm.state'), width: 110, render: (_, e) => (VM_STATES.has(e.state) ? t(`selfservice.vmState.${e.state}` as Key) : e.state) },
              { key: 'who', title: t('selfservice.requester'), render: (_, e) => e.actor?.name ?? '—' },
            ]}
          />
        </Card>
      )}
      {deciding && (
        <DecisionModal
          request={view}
          decision={deciding}
          onClose={(changed) => {
            setDeciding(null);
            if (changed) setView(changed);
            else void load();
          }}
        />
      )}
      <Modal open={asking !== null} title={asking ? t(`selfservice.action.${asking}` as Key) : ''} onCancel={() => setAsking(null)} onOk={() => void ask()} confirmLoading={busy}>
        <Form form={form} layout="vertical">
          {asking === 'resize' && view.vm && (
            <>
              <Form.Item name="flavourCode" label={t('selfservice.flavour')} extra={t('selfservice.resize.flavourHint', { shape: shape(view.vm) })}>
                <Select allowClear data-testid="selfservice-resize-flavour" options={flavours.map((f) => ({ value: f.code, label: `${f.name}（${f.vcpus} vCPU / ${f.memoryMb / 1024} GB）` }))} />
              </Form.Item>
              <Form.Item
                name="diskGb"
                label={t('selfservice.resize.disk')}
                extra={t('selfservice.resize.diskHint', { n: view.vm.diskGb })}
                dependencies={['flavourCode']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: async (_rule, value: number | null | undefined) => {
                      if (value != null && value < view.vm!.diskGb) throw new Error(t('selfservice.resize.diskShrink', { n: view.vm!.diskGb }));
                      if (!getFieldValue('flavourCode') && (value == null || value === view.vm!.diskGb)) throw new Error(t('selfservice.resize.nothing'));
                    },
                  }),
                ]}
              >
                <InputNumber min={1} max={65536} precision={0} addonAfter="GB" style={{ width: '100%' }} data-testid="selfservice-resize-disk" />
              </Form.Item>
            </>
          )}
          <Form.Item name="reason" label={t('selfservice.reason')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

const ACTION_LABELS = new Set(['provision', 'start', 'stop', 'suspend', 'resume', 'snapshot', 'resize', 'decommission'].map((a) => `selfservice.action.${a}`));
const OUTCOMES = new Set(['requested', 'started', 'succeeded', 'failed', 'rolled_back', 'observed']);
const VM_STATES = new Set(['placing', 'provisioning', 'running', 'stopped', 'suspended', 'error', 'missing', 'decommissioning', 'decommissioned']);
