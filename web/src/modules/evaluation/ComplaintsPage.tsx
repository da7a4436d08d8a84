// /evaluation/complaints — 投诉处理: complaints in the jurisdiction by state (overdue decisions flagged), the decision
// to accept or not (with a reason), the handling result and closing; staff file complaints on an applicant's behalf.
import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Switch, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { evaluationApi, type Complaint, type NewComplaint } from './api.ts';

const STATES: Complaint['state'][] = ['filed', 'accepted', 'not_accepted', 'handled', 'closed'];
const STATE_COLORS: Record<Complaint['state'], string> = { filed: 'gold', accepted: 'blue', not_accepted: 'default', handled: 'cyan', closed: 'green' };
type Step = { complaint: Complaint; kind: 'reject' | 'result' };

export default function ComplaintsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [state, setState] = useState<Complaint['state'] | 'all'>('all');
  const [overdue, setOverdue] = useState(false);
  const [step, setStep] = useState<Step | null>(null);
  const [filing, setFiling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [text] = Form.useForm<{ text: string }>();
  const [newForm] = Form.useForm<NewComplaint>();
  const [departments, setDepartments] = useState<{ id: string; name: string }[]>([]);
  const query = { state: state === 'all' ? undefined : state, overdue: overdue || undefined };
  const fetchPage: PageFetcher<Complaint> = (cursor, signal, limit) => evaluationApi.complaints({ ...query, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Complaint>(JSON.stringify(query), fetchPage, { choosePageSize: true });
  const manage = can('evaluation.manage');

  useEffect(() => {
    if (!filing || departments.length > 0) return;
    const controller = new AbortController();
    evaluationApi.complaintDepartments(controller.signal).then((r) => setDepartments(r.items), () => undefined);
    return () => controller.abort();
  }, [filing, departments.length]);

  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await run();
      void message.success(t('evaluation.complaint.done'));
      setStep(null);
      list.reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const columns: ListColumn<Complaint>[] = [
    { key: 'subject', title: t('evaluation.complaint.subject'), width: 200, required: true, render: (r) => <span title={r.body}>{r.subject}</span>, exportValue: (r) => r.subject },
    { key: 'department', title: t('evaluation.department'), width: 200, ellipsis: true, render: (r) => r.department.name, exportValue: (r) => r.department.name },
    {
      key: 'state',
      title: t('evaluation.complaint.state'),
      width: 150,
      render: (r) => (
        <Space size={4}>
          <Tag color={STATE_COLORS[r.state]}>{t(`evaluation.complaint.state.${r.state}`)}</Tag>
          {r.overdue && <Tag color="red">{t('evaluation.complaint.overdue')}</Tag>}
        </Space>
      ),
      exportValue: (r) => t(`evaluation.complaint.state.${r.state}`),
    },
    { key: 'decideDue', title: t('evaluation.complaint.decideDue'), width: 110, render: (r) => r.decideDue, exportValue: (r) => r.decideDue, sort: (r) => r.decideDue },
    { key: 'body', title: t('evaluation.complaint.body'), width: 260, ellipsis: true, render: (r) => r.body, exportValue: (r) => r.body },
    { key: 'complainant', title: t('evaluation.complaint.complainant'), width: 100, render: (r) => r.complainantName, exportValue: (r) => r.complainantName },
    { key: 'caseNo', title: t('evaluation.caseNo'), width: 180, render: (r) => r.caseNo ?? '—', exportValue: (r) => r.caseNo ?? '', defaultHidden: true },
    { key: 'channel', title: t('evaluation.channel'), width: 90, render: (r) => t(`evaluation.channel.${r.channel}`), exportValue: (r) => r.channel },
    { key: 'filedAt', title: t('evaluation.complaint.filedAt'), width: 160, render: (r) => formatDateTime(r.filedAt), exportValue: (r) => r.filedAt },
    { key: 'outcome', title: t('evaluation.complaint.result'), width: 220, ellipsis: true, render: (r) => r.result ?? r.decisionReason ?? '—', exportValue: (r) => r.result ?? r.decisionReason ?? '' },
    {
      key: 'actions',
      title: '',
      width: 170,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        !manage ? null : r.state === 'filed' ? (
          <Space size={0}>
            <Button size="small" type="link" loading={busy} onClick={() => void act(() => evaluationApi.decide(r.id, { accept: true }))} data-testid={`complaint-accept-${r.id}`}>
              {t('evaluation.complaint.accept')}
            </Button>
            <Button size="small" type="link" danger onClick={() => (text.resetFields(), setStep({ complaint: r, kind: 'reject' }))} data-testid={`complaint-reject-${r.id}`}>
              {t('evaluation.complaint.reject')}
            </Button>
          </Space>
        ) : r.state === 'accepted' ? (
          <Button size="small" type="link" onClick={() => (text.resetFields(), setStep({ complaint: r, kind: 'result' }))} data-testid={`complaint-result-${r.id}`}>
            {t('evaluation.complaint.recordResult')}
          </Button>
        ) : r.state === 'handled' ? (
          <Button size="small" type="link" loading={busy} onClick={() => void act(() => evaluationApi.close(r.id))} data-testid={`complaint-close-${r.id}`}>
            {t('evaluation.complaint.close')}
          </Button>
        ) : null,
    },
  ];

  const submitStep = async () => {
    if (!step) return;
    const { text: value } = await text.validateFields();
    await act(() => (step.kind === 'reject' ? evaluationApi.decide(step.complaint.id, { accept: false, reason: value }) : evaluationApi.result(step.complaint.id, value)));
  };

  const submitNew = async () => {
    const v = await newForm.validateFields();
    setBusy(true);
    try {
      await evaluationApi.fileComplaint({ ...v, complainantPhone: v.complainantPhone || null });
      void message.success(t('evaluation.complaint.filed'));
      setFiling(false);
      newForm.resetFields();
      list.reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        title={t('evaluation.complaints.title')}
        extra={
          (can('evaluation.manage') || can('evaluation.follow_up')) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)} data-testid="complaint-new">
              {t('evaluation.complaint.new')}
            </Button>
          )
        }
      />
      <ListPage<Complaint>
        id="evaluation-complaints"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1800}
        rowTestId="complaint-row"
        phoneLead={{ key: 'subject', width: 200, primary: (r) => r.subject, secondary: (r) => `${r.department.name} · ${t(`evaluation.complaint.state.${r.state}`)}`, folds: ['department', 'state'] }}
        filters={
          <Space wrap>
            <Select<Complaint['state'] | 'all'>
              value={state}
              onChange={setState}
              style={{ width: 130 }}
              data-testid="complaints-state"
              options={[{ value: 'all', label: t('evaluation.filter.all') }, ...STATES.map((s) => ({ value: s, label: t(`evaluation.complaint.state.${s}`) }))]}
            />
            <Space size={4}>
              <Switch size="small" checked={overdue} onChange={setOverdue} data-testid="complaints-overdue" />
              {t('evaluation.complaint.overdue')}
            </Space>
          </Space>
        }
      />
      <Modal
        open={step !== null}
        title={step ? `${t(step.kind === 'reject' ? 'evaluation.complaint.reject' : 'evaluation.complaint.recordResult')}：${step.complaint.subject}` : ''}
        onCancel={() => setStep(null)}
        onOk={() => void submitStep()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'complaint-step-ok' }}
        destroyOnHidden
      >
        <Form form={text} layout="vertical">
          <Form.Item name="text" label={t(step?.kind === 'reject' ? 'evaluation.complaint.reason' : 'evaluation.complaint.result')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="complaint-step-text" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={filing} title={t('evaluation.complaint.new')} onCancel={() => setFiling(false)} onOk={() => void submitNew()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'complaint-new-ok' }} destroyOnHidden>
        <Form form={newForm} layout="vertical">
          <Form.Item name="departmentId" label={t('evaluation.department')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={departments.map((d) => ({ value: d.id, label: d.name }))} data-testid="complaint-new-department" />
          </Form.Item>
          <Form.Item name="complainantName" label={t('evaluation.complaint.complainant')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} data-testid="complaint-new-name" />
          </Form.Item>
          <Form.Item name="complainantPhone" label={t('evaluation.complaint.phone')} rules={[{ pattern: /^1[3-9]\d{9}$/ }]}>
            <Input maxLength={11} inputMode="tel" />
          </Form.Item>
          <Form.Item name="subject" label={t('evaluation.complaint.subject')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input maxLength={100} data-testid="complaint-new-subject" />
          </Form.Item>
          <Form.Item name="body" label={t('evaluation.complaint.body')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
            <Input.TextArea rows={4} maxLength={2000} data-testid="complaint-new-body" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
