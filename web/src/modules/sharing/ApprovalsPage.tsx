// /sharing/approvals — the provider's inbox of sharing requests (待我答复) and, for the authority, escalated ones;
// deadlines with working days left (overdue in red); a decision dialog: approve all, approve some items, refuse with
// a reason. Rows carry their abilities: the page never re-derives who may answer.
import { useState } from 'react';
import { App as AntApp, Button, Checkbox, Form, Input, Modal, Radio, Segmented, Select, Space, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { searchParam, useLocation } from '../../router.tsx';
import { BADGES_EVENT } from '../inbox/api.ts';
import { sharingApi, type SharingRequest } from './api.ts';
import { Deadline, RequestStatus } from './parts.tsx';

type Role = 'to_me' | 'escalated';
type Choice = 'approveAll' | 'approveSome' | 'refuse';

export default function ApprovalsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const phone = usePhoneLayout();
  const location = useLocation();
  const [role, setRole] = useState<Role>(searchParam(location.search, 'role') === 'escalated' ? 'escalated' : 'to_me');
  const [openOnly, setOpenOnly] = useState(true);
  const [deciding, setDeciding] = useState<SharingRequest | null>(null);
  const query = { role, status: openOnly ? (role === 'escalated' ? (['escalated'] as const) : (['pending', 'escalated'] as const)) : undefined };
  const fetchPage: PageFetcher<SharingRequest> = (cursor, signal, limit) =>
    sharingApi.list({ role: query.role, status: query.status ? [...query.status] : undefined, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<SharingRequest>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const columns: ListColumn<SharingRequest>[] = [
    { key: 'number', title: t('sharing.number'), dataIndex: 'number', width: 170, className: 'mono', required: true, sort: (r) => r.number },
    { key: 'consumer', title: t('sharing.consumer'), width: 170, render: (r) => r.consumer.name, exportValue: (r) => r.consumer.name, sort: (r) => r.consumer.name },
    { key: 'resource', title: t('sharing.resource'), width: 190, render: (r) => r.resource.name, exportValue: (r) => r.resource.name },
    { key: 'items', title: t('sharing.items'), width: 180, ellipsis: true, render: (r) => r.items.join('、'), exportValue: (r) => r.items.join(' ') },
    { key: 'purpose', title: t('sharing.purpose'), dataIndex: 'purpose', width: 180, ellipsis: true },
    { key: 'deadline', title: t('sharing.deadline'), width: 200, sort: (r) => r.deadline ?? '', render: (r) => <Deadline row={r} />, exportValue: (r) => r.deadline ?? '' },
    { key: 'status', title: t('sharing.status'), width: 130, render: (r) => <RequestStatus status={r.status} />, exportValue: (r) => tx(`sharing.status.${r.status}`, r.status) },
    { key: 'submittedAt', title: t('sharing.submittedAt'), width: 160, render: (r) => formatDateTime(r.submittedAt), exportValue: (r) => r.submittedAt },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        rowCan(r, 'approve') ? (
          <Button type="link" size="small" icon={<CheckCircleOutlined />} onClick={() => setDeciding(r)} data-testid={`request-decide-${r.id}`}>
            {t('sharing.decide')}
          </Button>
        ) : (
          '—'
        ),
    },
  ];

  const roles = [{ value: 'to_me' as const, label: t('sharing.role.to_me') }, ...(can('sharing.authority') ? [{ value: 'escalated' as const, label: t('sharing.role.escalated') }] : [])];
  return (
    <div className="page">
      <PageHeader title={t('sharing.approvals.title')} />
      <ListPage<SharingRequest>
        id="sharing-approval"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1400}
        rowClassName={(r) => (r.workingDaysLeft !== null && r.workingDaysLeft < 0 ? 'row-overdue' : '')}
        phoneLead={{ key: 'number', width: 170, primary: (r) => r.consumer.name, secondary: (r) => r.number, folds: ['consumer'] }}
        filters={
          <Space wrap>
            {phone ? <Select<Role> value={role} onChange={setRole} options={roles} style={{ width: 160 }} /> : <Segmented<Role> value={role} onChange={setRole} options={roles} data-testid="approval-role" />}
            <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)}>
              {t('sharing.status.pending')}
            </Checkbox>
          </Space>
        }
      />
      {deciding ? (
        <DecisionDialog
          row={deciding}
          onClose={(done) => {
            setDeciding(null);
            if (done) list.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function DecisionDialog({ row, onClose }: { row: SharingRequest; onClose: (done: boolean) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const conditional = row.items.filter((i) => !row.approvedItems.includes(i));
  const [choice, setChoice] = useState<Choice>('approveAll');
  const [items, setItems] = useState<string[]>(conditional);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (choice === 'refuse' && reason.trim() === '') return setError(t('sharing.decision.reasonRequired'));
    if (choice === 'approveSome' && items.length === 0) return setError(t('sharing.decision.itemsRequired'));
    setSaving(true);
    try {
      const body = choice === 'refuse' ? { decision: 'refuse' as const, reason } : { decision: 'approve' as const, ...(choice === 'approveSome' ? { items } : {}), ...(reason.trim() ? { reason } : {}) };
      await sharingApi.decide(row.id, body);
      void message.success(t('sharing.decided'));
      window.dispatchEvent(new Event(BADGES_EVENT));
      onClose(true);
    } catch (err) {
      setError(problem(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={t('sharing.decision.title', { number: row.number })} onCancel={() => onClose(false)} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ danger: choice === 'refuse', 'data-testid': 'decision-ok' } as never} width={560}>
      <Typography.Paragraph>
        {row.consumer.name} · {row.resource.name}
        <br />
        <Typography.Text type="secondary">
          {t('sharing.purpose')}：{row.purpose}；{t('sharing.legalBasis')}：{row.legalBasis}
        </Typography.Text>
      </Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item>
          <Radio.Group value={choice} onChange={(e) => setChoice(e.target.value as Choice)} data-testid="decision-choice">
            <Space direction="vertical">
              <Radio value="approveAll">{t('sharing.decision.approveAll')}</Radio>
              <Radio value="approveSome">{t('sharing.decision.approveSome')}</Radio>
              <Radio value="refuse">{t('sharing.decision.refuse')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {choice === 'approveSome' ? (
          <Form.Item label={t('sharing.items')}>
            <Checkbox.Group value={items} onChange={(v) => setItems(v as string[])} options={conditional.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('sharing.reason')} required={choice === 'refuse'} validateStatus={error ? 'error' : undefined} help={error ?? undefined}>
          <Input.TextArea rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
