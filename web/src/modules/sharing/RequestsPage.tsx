// /sharing/requests — the consumer's own requests (newest first) with their status and deadline; withdraw while
// unanswered; a button to the request wizard.
import { useState } from 'react';
import { App as AntApp, Button, Popconfirm, Select } from 'antd';
import { PlusOutlined, RollbackOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { sharingApi, type SharingRequest } from './api.ts';
import { Deadline, RequestStatus } from './parts.tsx';

const STATUSES: SharingRequest['status'][] = ['pending', 'escalated', 'granted', 'approved', 'partially_approved', 'refused', 'withdrawn'];

export default function RequestsPage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [status, setStatus] = useState<SharingRequest['status'] | 'all'>('all');
  const [busy, setBusy] = useState<string | null>(null);
  const query = { role: 'mine' as const, status: status === 'all' ? undefined : [status] };
  const fetchPage: PageFetcher<SharingRequest> = (cursor, signal, limit) => sharingApi.list({ ...query, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<SharingRequest>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const withdraw = async (row: SharingRequest) => {
    setBusy(row.id);
    try {
      await sharingApi.withdraw(row.id);
      void message.success(t('sharing.withdrawn'));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: ListColumn<SharingRequest>[] = [
    { key: 'number', title: t('sharing.number'), dataIndex: 'number', width: 170, className: 'mono', required: true, sort: (r) => r.number },
    { key: 'resource', title: t('sharing.resource'), width: 200, render: (r) => r.resource.name, exportValue: (r) => r.resource.name, sort: (r) => r.resource.name },
    { key: 'provider', title: t('sharing.provider'), width: 160, render: (r) => r.provider.name, exportValue: (r) => r.provider.name },
    { key: 'items', title: t('sharing.items'), width: 180, ellipsis: true, render: (r) => r.items.join('、'), exportValue: (r) => r.items.join(' ') },
    { key: 'status', title: t('sharing.status'), width: 120, render: (r) => <RequestStatus status={r.status} />, exportValue: (r) => tx(`sharing.status.${r.status}`, r.status) },
    { key: 'deadline', title: t('sharing.deadline'), width: 200, render: (r) => <Deadline row={r} />, exportValue: (r) => r.deadline ?? '' },
    { key: 'reason', title: t('sharing.reason'), dataIndex: 'decisionReason', width: 180, ellipsis: true },
    { key: 'submittedAt', title: t('sharing.submittedAt'), width: 160, sort: (r) => r.submittedAt, render: (r) => formatDateTime(r.submittedAt), exportValue: (r) => r.submittedAt },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        rowCan(r, 'withdraw') ? (
          <Popconfirm title={t('sharing.withdrawConfirm')} okText={t('sharing.withdraw')} cancelText={t('common.cancel')} onConfirm={() => withdraw(r)}>
            <Button type="link" size="small" icon={<RollbackOutlined />} loading={busy === r.id} data-testid={`request-withdraw-${r.id}`}>
              {t('sharing.withdraw')}
            </Button>
          </Popconfirm>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('sharing.requests.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/sharing/requests/new')} data-testid="request-new">
            {t('sharing.requests.new')}
          </Button>
        }
      />
      <ListPage<SharingRequest>
        id="sharing-request"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1400}
        phoneLead={{ key: 'number', width: 170, primary: (r) => r.resource.name, secondary: (r) => r.number, folds: ['resource'] }}
        filters={
          <Select<SharingRequest['status'] | 'all'>
            value={status}
            onChange={setStatus}
            style={{ width: phone ? 200 : 160 }}
            options={[{ value: 'all', label: t('sharing.all') }, ...STATUSES.map((s) => ({ value: s, label: tx(`sharing.status.${s}`, s) }))]}
            data-testid="request-status"
          />
        }
      />
    </div>
  );
}
