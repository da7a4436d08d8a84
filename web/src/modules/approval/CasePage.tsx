// /approval/cases/:id — one case: its clocks, steps with their due dates, materials (upload), pauses, the timeline from
// the ledger, and the actions the server says the caller may take now (each with the case version, so a stale page
// is told so).
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Spin, Table, Tag, Timeline, Upload } from 'antd';
import { ArrowLeftOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate, searchParam, useLocation, useParams } from '../../router.tsx';
import { approvalApi, type ActionBody, type CaseAction, type CaseView } from './api.ts';
import { ClockCell, StateTag } from './parts.tsx';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const NEEDS_FORM: readonly CaseAction[] = ['reject', 'pause', 'request_extension', 'decide', 'withdraw'];
const SPECIAL = ['hearing', 'tendering', 'auction', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review'] as const;

export default function CasePage() {
  const { id } = useParams<'id'>();
  const location = useLocation();
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<CaseView | null>(null);
  const [acting, setActing] = useState<CaseAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(
    (signal?: AbortSignal) =>
      approvalApi
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
  useEffect(() => {
    const wanted = searchParam(location.search, 'action') as CaseAction | null;
    if (wanted && view?.actions.includes(wanted) && NEEDS_FORM.includes(wanted)) setActing(wanted);
  }, [location.search, view]);

  const run = async (action: CaseAction, body: ActionBody = {}) => {
    if (!view) return;
    setBusy(true);
    try {
      setView(await approvalApi.act(view.id, action, { ...body, version: view.version }));
      setActing(null);
      form.resetFields();
      void message.success(t('approval.saved'));
    } catch (err) {
      void message.error(problem(err));
      void load();
    } finally {
      setBusy(false);
    }
  };
  const start = (action: CaseAction) => (NEEDS_FORM.includes(action) ? setActing(action) : void run(action));

  if (!view) return <Spin style={{ margin: 48 }} />;
  return (
    <div className="page">
      <PageHeader
        title={
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/approval/cases')} />
            {view.caseNo}
            <StateTag state={view.state} />
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 12 }} data-testid="approval-actions">
        {view.actions.map((a) => (
          <Button key={a} type={a === view.actions[0] ? 'primary' : 'default'} loading={busy && acting === a} onClick={() => start(a)} data-testid={`approval-action-${a}`}>
            {t(`approval.action.${a}` as Key)}
          </Button>
        ))}
      </Space>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
          <Descriptions.Item label={t('approval.item')}>{view.item.name}</Descriptions.Item>
          <Descriptions.Item label={t('approval.department')}>{view.department.name}</Descriptions.Item>
          <Descriptions.Item label={t('approval.applicant')}>{`${view.applicantName}（${view.applicantIdNumber}）`}</Descriptions.Item>
          <Descriptions.Item label={t('approval.appliedOn')}>{view.appliedOn}</Descriptions.Item>
          <Descriptions.Item label={t('approval.acceptedOn')}>{view.acceptedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('approval.statutory')}>
            <ClockCell row={view} clock={view.statutory} />
          </Descriptions.Item>
          <Descriptions.Item label={t('approval.promised')}>
            <ClockCell row={view} clock={view.promised} />
          </Descriptions.Item>
          {view.reason && <Descriptions.Item label={t('approval.reason')}>{view.reason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card size="small" title={t('approval.materials')} style={{ marginBottom: 12 }}>
        <Table
          rowKey="seq"
          size="small"
          pagination={false}
          scroll={{ x: 560 }}
          dataSource={view.materials}
          columns={[
            { key: 'name', title: t('approval.materials'), render: (_, m) => <Space>{m.name}{m.required && <Tag color="red">{t('approval.required')}</Tag>}</Space> },
            { key: 'files', title: '', render: (_, m) => m.files.map((f) => <div key={f.id}>{f.name}</div>) },
            {
              key: 'upload',
              title: '',
              width: 110,
              render: (_, m) => (
                <Upload
                  showUploadList={false}
                  beforeUpload={(file) => {
                    approvalApi.upload(view.id, m.seq, file).then(() => load(), (err: unknown) => void message.error(problem(err)));
                    return false;
                  }}
                >
                  <Button size="small" icon={<UploadOutlined />} data-testid={`approval-upload-${m.seq}`}>
                    {t('approval.upload')}
                  </Button>
                </Upload>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('approval.steps')} style={{ marginBottom: 12 }}>
        <Table
          rowKey="step"
          size="small"
          pagination={false}
          dataSource={view.steps}
          columns={[
            { key: 'step', title: t('approval.steps'), render: (_, s) => t(`approval.step.${s.step}` as Key) },
            { key: 'due', title: t('approval.due'), render: (_, s) => s.dueOn ?? '—' },
            { key: 'done', title: t('approval.done'), render: (_, s) => s.completedOn ?? '—' },
          ]}
        />
      </Card>
      {view.pauses.length > 0 && (
        <Card size="small" title={t('approval.pauses')} style={{ marginBottom: 12 }}>
          {view.pauses.map((p, i) => (
            <div key={i}>{`${p.startedOn} → ${p.endedOn ?? '…'} · ${t(`approval.pauseKind.${p.kind}` as Key)} · ${p.reason}`}</div>
          ))}
        </Card>
      )}
      <Card size="small" title={t('approval.timeline')}>
        <Timeline
          items={view.events.map((e) => ({
            children: `${e.onDate} · ${e.action in ACTION_KEYS ? t(ACTION_KEYS[e.action]!) : e.action}${e.actorName ? `（${e.actorName}）` : ''}${e.note ? `：${e.note}` : ''} · ${formatDateTime(e.at)}`,
          }))}
        />
      </Card>
      <Modal open={acting !== null} title={acting ? t(`approval.action.${acting}` as Key) : ''} onCancel={() => setActing(null)} onOk={() => void form.validateFields().then((v: ActionBody) => run(acting!, v))} confirmLoading={busy}>
        <Form form={form} layout="vertical" initialValues={{ pauseKind: 'correction', decision: 'approve' }}>
          {acting === 'decide' && (
            <Form.Item name="decision" label={t('approval.decision')}>
              <Select options={(['approve', 'deny'] as const).map((d) => ({ value: d, label: t(`approval.decision.${d}` as Key) }))} />
            </Form.Item>
          )}
          {acting === 'pause' && (
            <>
              <Form.Item name="pauseKind" label={t('approval.pauseKind')}>
                <Select options={(['correction', 'special'] as const).map((k) => ({ value: k, label: t(`approval.pauseKind.${k}` as Key) }))} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() =>
                  form.getFieldValue('pauseKind') === 'special' ? (
                    <Form.Item name="specialKind" label={t('approval.specialKind')} rules={[{ required: true }]}>
                      <Select options={SPECIAL.map((k) => ({ value: k, label: k }))} />
                    </Form.Item>
                  ) : (
                    <Form.Item name="materials" label={t('approval.materials')} rules={[{ required: true }]}>
                      <Select mode="multiple" options={view.materials.map((m) => ({ value: m.seq, label: m.name }))} />
                    </Form.Item>
                  )
                }
              </Form.Item>
            </>
          )}
          {acting === 'request_extension' && (
            <Form.Item name="days" label={t('approval.days')} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('approval.reason')} rules={[{ required: acting !== 'decide' && acting !== 'withdraw', max: 1000 }]}>
            <Input.TextArea rows={3} data-testid="approval-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

const ACTION_KEYS: Record<string, Key> = { submit: 'approval.state.submitted', accept: 'approval.action.accept', reject: 'approval.action.reject', review: 'approval.action.review', pause: 'approval.action.pause', resume: 'approval.action.resume', resubmit: 'approval.action.resubmit', request_extension: 'approval.action.request_extension', approve_extension: 'approval.action.approve_extension', refuse_extension: 'approval.action.refuse_extension', decide: 'approval.action.decide', conclude: 'approval.action.conclude', deliver: 'approval.action.deliver', withdraw: 'approval.action.withdraw' };
