// /covert-grants — 隐蔽调查授权: the data grants in the caller's jurisdiction; mark one covert (its reads hidden from the
// citizen) or lift the marking, each with a reason that goes into the audit trail.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Segmented, Tag, Typography } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { trackerApi, type TrackedGrant } from './api.ts';

export default function CovertGrantsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [onlyCovert, setOnlyCovert] = useState(false);
  const [editing, setEditing] = useState<TrackedGrant | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const fetchPage: PageFetcher<TrackedGrant> = (cursor, signal, limit) => trackerApi.grants(onlyCovert ? true : undefined, cursor, limit, signal);
  const list = useCursorList<TrackedGrant>(`covert-grants|${onlyCovert}`, fetchPage, { choosePageSize: true });

  const submit = async ({ reason }: { reason: string }) => {
    if (!editing) return;
    setSaving(true);
    try {
      await trackerApi.markCovert(editing.shareId, !editing.covert, reason);
      void message.success(editing.covert ? t('tracker.unmarked') : t('tracker.marked'));
      setEditing(null);
      form.resetFields();
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setSaving(false);
    }
  };

  const columns: ListColumn<TrackedGrant>[] = [
    { key: 'resourceName', title: t('tracker.resource'), dataIndex: 'resourceName', width: 200, required: true, sort: (g) => g.resourceName },
    { key: 'consumerDepartmentName', title: t('tracker.consumer'), dataIndex: 'consumerDepartmentName', width: 180 },
    { key: 'systemName', title: t('tracker.system'), dataIndex: 'systemName', width: 150, render: (g) => g.systemName ?? '—' },
    { key: 'providerDepartmentName', title: t('tracker.provider'), dataIndex: 'providerDepartmentName', width: 180, defaultHidden: true },
    { key: 'purpose', title: t('tracker.purpose'), dataIndex: 'purpose', width: 180 },
    { key: 'expiresAt', title: t('tracker.expiresAt'), dataIndex: 'expiresAt', width: 170, render: (g) => formatDateTime(g.expiresAt) },
    {
      key: 'state',
      title: t('tracker.state'),
      width: 130,
      render: (g) => (g.covert ? <Tag color="purple">{t('tracker.covert')}</Tag> : g.revokedAt ? <Tag>{t('tracker.revoked')}</Tag> : <Tag color="green">{t('tracker.normal')}</Tag>),
      exportValue: (g) => (g.covert ? 'covert' : g.revokedAt ? 'revoked' : 'normal'),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (g) => (
        <Button type="link" size="small" onClick={() => setEditing(g)} data-testid="covert-toggle">
          {g.covert ? t('tracker.unmark') : t('tracker.mark')}
        </Button>
      ),
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('tracker.grantsTitle')} />
      <Typography.Paragraph type="secondary">{t('tracker.grantsHelp')}</Typography.Paragraph>
      <ListPage<TrackedGrant>
        id="covert-grants"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="shareId"
        rowTestId="covert-grant"
        scrollX={1200}
        emptyText={t('tracker.empty')}
        phoneLead={{ key: 'resourceName', width: 200, primary: (g) => g.resourceName, secondary: (g) => g.consumerDepartmentName, folds: ['consumerDepartmentName'] }}
        filters={
          <Segmented<'all' | 'covert'>
            value={onlyCovert ? 'covert' : 'all'}
            onChange={(v) => setOnlyCovert(v === 'covert')}
            options={[
              { label: t('tracker.all'), value: 'all' },
              { label: t('tracker.onlyCovert'), value: 'covert' },
            ]}
          />
        }
      />
      <Modal
        open={editing !== null}
        title={editing ? `${editing.covert ? t('tracker.unmark') : t('tracker.mark')} · ${editing.resourceName}` : ''}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          <Form.Item name="reason" label={t('tracker.reason')} extra={t('tracker.reasonHelp')} rules={[{ required: true, whitespace: true, message: t('tracker.reasonRequired') }]}>
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
