// /approval/cases — the workbench: my cases, my department's, or all I may read, open ones first and soonest due first,
// both clocks as working days left with overdue / paused / provisional tags, the next action, counter registration.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, DatePicker, Form, Input, Modal, Segmented, Select, Space, Switch, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, useMe } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { approvalApi, type CaseQuery, type CaseSummary, type CounterCase, type ItemSummary } from './api.ts';
import { ClockCell, StateTag } from './parts.tsx';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
type Scope = NonNullable<CaseQuery['scope']>;
const PAGE = 20;

export default function CasesPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [scope, setScope] = useState<Scope>('department');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: CaseSummary[]; total: number } | null>(null);
  const [reload, setReload] = useState(0);
  const [registering, setRegistering] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    approvalApi
      .cases({ scope, overdue: overdue || undefined, offset: (page - 1) * PAGE, limit: PAGE }, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [scope, overdue, page, reload, message, problem]);

  const act = async (row: CaseSummary) => navigate(`/approval/cases/${row.id}${row.actions[0] ? `?action=${row.actions[0]}` : ''}`);

  return (
    <div className="page">
      <PageHeader
        title={t('approval.cases.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="approval-register">
            {t('approval.register')}
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Scope>
          value={scope}
          onChange={(v) => (setScope(v), setPage(1))}
          options={(['mine', 'department', 'all'] as const).map((s) => ({ value: s, label: t(`approval.scope.${s}` as Key) }))}
        />
        <Space>
          <Switch checked={overdue} onChange={(v) => (setOverdue(v), setPage(1))} data-testid="approval-overdue" />
          {t('approval.overdueOnly')}
        </Space>
      </Space>
      <Table<CaseSummary>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: 1100 }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'caseNo', title: t('approval.caseNo'), width: 200, fixed: 'left', render: (_, r) => <a onClick={() => navigate(`/approval/cases/${r.id}`)} data-testid={`approval-case-${r.caseNo}`}>{r.caseNo}</a> },
          { key: 'item', title: t('approval.item'), width: 220, render: (_, r) => r.item.name },
          { key: 'applicant', title: t('approval.applicant'), width: 160, render: (_, r) => r.applicantName },
          { key: 'state', title: t('approval.state'), width: 100, render: (_, r) => <StateTag state={r.state} /> },
          { key: 'statutory', title: t('approval.statutory'), width: 230, render: (_, r) => <ClockCell row={r} clock={r.statutory} /> },
          { key: 'promised', title: t('approval.promised'), width: 230, render: (_, r) => <ClockCell row={r} clock={r.promised} /> },
          {
            key: 'next',
            title: t('approval.next'),
            width: 120,
            fixed: 'right',
            render: (_, r) =>
              r.actions[0] ? (
                <Button size="small" type="primary" onClick={() => void act(r)}>
                  {t(`approval.action.${r.actions[0]}` as Key)}
                </Button>
              ) : null,
          },
        ]}
      />
      {registering && (
        <RegisterModal
          onClose={(no) => {
            setRegistering(false);
            if (no) {
              void message.success(t('approval.registered', { no }));
              setReload((n) => n + 1);
            }
          }}
        />
      )}
    </div>
  );
}

/** 窗口登记: the item, the applicant and the application date (not in the future). */
function RegisterModal({ onClose }: { onClose: (caseNo?: string) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [busy, setBusy] = useState(false);
  // the clerk's own department's items, searched on the server as typed (the catalogue holds thousands of items)
  const departmentId = useMe().department?.id;
  const [q, setQ] = useState('');
  useEffect(() => {
    const controller = new AbortController();
    const term = q.trim();
    approvalApi
      .items({ limit: 50, status: 'active', ...(departmentId ? { departmentId } : {}), ...(term ? { q: term } : {}) }, controller.signal)
      .then((list) => setItems(list.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [q, departmentId]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: CounterCase = { itemId: v.itemId, applicantKind: v.applicantKind, applicantName: v.applicantName, applicantIdNumber: v.applicantIdNumber, applicantPhone: v.applicantPhone || null, appliedOn: v.appliedOn ? v.appliedOn.format('YYYY-MM-DD') : undefined, requestKey: crypto.randomUUID() };
      const created = await approvalApi.register(body);
      onClose(created.caseNo);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('approval.register')} onCancel={() => onClose()} onOk={() => void submit()} confirmLoading={busy} width={560}>
      <Form form={form} layout="vertical" initialValues={{ applicantKind: 'citizen' }}>
        <Form.Item name="itemId" label={t('approval.item')} rules={[{ required: true }]}>
          <Select showSearch filterOption={false} onSearch={setQ} options={items.map((i) => ({ value: i.id, label: `${i.name}（${i.department.name}）` }))} data-testid="approval-register-item" />
        </Form.Item>
        <Form.Item name="applicantKind" label={t('approval.applicantKind')}>
          <Segmented options={(['citizen', 'enterprise'] as const).map((k) => ({ value: k, label: t(`approval.applicantKind.${k}` as Key) }))} />
        </Form.Item>
        <Form.Item name="applicantName" label={t('approval.applicant')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="approval-register-name" />
        </Form.Item>
        <Form.Item name="applicantIdNumber" label={t('approval.applicantIdNumber')} rules={[{ required: true, min: 15, max: 32 }]}>
          <Input data-testid="approval-register-id" />
        </Form.Item>
        <Form.Item name="applicantPhone" label={t('approval.applicantPhone')} rules={[{ pattern: /^1\d{10}$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="appliedOn" label={t('approval.appliedOn')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(new Date()) || d.year() < 2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
