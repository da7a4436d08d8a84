// /cloud/approvals — 审批: requests waiting on my decision (department step over my department tree, platform step over
// my region), oldest first, approve or reject with a note; the to-do links here with ?request=<id>.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Space, Table } from 'antd';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate, searchParam, useLocation } from '../../router.tsx';
import { selfserviceApi, type RequestSummary } from './api.ts';
import { DecisionModal, shape, StateTag, type Key } from './parts.tsx';

export default function ApprovalsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const highlighted = searchParam(location.search, 'request');
  const [data, setData] = useState<{ items: RequestSummary[]; total: number } | null>(null);
  const [deciding, setDeciding] = useState<{ request: RequestSummary; decision: 'approve' | 'reject' } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    selfserviceApi
      .list({ scope: 'approvals', limit: 200 }, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [reload, message, problem]);

  return (
    <div className="page">
      <PageHeader title={t('selfservice.approvals.title')} />
      <Table<RequestSummary>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('selfservice.empty') }}
        rowClassName={(r) => (r.id === highlighted ? 'ant-table-row-selected' : '')}
        scroll={{ x: 1100 }}
        pagination={false}
        columns={[
          { key: 'no', title: t('selfservice.requestNo'), width: 170, fixed: 'left', render: (_, r) => <a onClick={() => navigate(`/cloud/requests/${r.id}`)}>{r.requestNo}</a> },
          { key: 'kind', title: t('selfservice.kind'), width: 90, render: (_, r) => t(`selfservice.kind.${r.kind}` as Key) },
          { key: 'name', title: t('selfservice.name'), width: 180, render: (_, r) => r.name },
          { key: 'dept', title: t('selfservice.department'), width: 180, render: (_, r) => `${r.department.name} · ${r.requestedBy.name}` },
          { key: 'shape', title: t('selfservice.shape'), width: 180, render: (_, r) => shape(r) },
          { key: 'state', title: t('selfservice.state'), width: 110, render: (_, r) => <StateTag state={r.state} /> },
          { key: 'at', title: t('selfservice.createdAt'), width: 150, render: (_, r) => formatDateTime(r.createdAt) },
          {
            key: 'decide',
            title: '',
            width: 150,
            fixed: 'right',
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => setDeciding({ request: r, decision: 'approve' })} data-testid={`selfservice-approve-${r.requestNo}`}>
                  {t('selfservice.approve')}
                </Button>
                <Button size="small" danger onClick={() => setDeciding({ request: r, decision: 'reject' })} data-testid={`selfservice-reject-${r.requestNo}`}>
                  {t('selfservice.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {deciding && (
        <DecisionModal
          request={deciding.request}
          decision={deciding.decision}
          onClose={() => {
            setDeciding(null);
            setReload((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
