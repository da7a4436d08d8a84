// /cloud/requests — 我的申请: my requests (or all I may see), newest first, with the button to request a VM.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Segmented, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { selfserviceApi, type RequestSummary } from './api.ts';
import { shape, StateTag, type Key } from './parts.tsx';

const PAGE = 20;

export default function RequestsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: RequestSummary[]; total: number } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    selfserviceApi
      .list({ scope, offset: (page - 1) * PAGE, limit: PAGE }, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [scope, page, message, problem]);

  return (
    <div className="page">
      <PageHeader
        title={t('selfservice.requests.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cloud/requests/new')} data-testid="selfservice-new">
            {t('selfservice.new')}
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<'mine' | 'all'> value={scope} onChange={(v) => (setScope(v), setPage(1))} options={(['mine', 'all'] as const).map((s) => ({ value: s, label: t(`selfservice.scope.${s}` as Key) }))} />
      </Space>
      <Table<RequestSummary>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: 960 }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'no', title: t('selfservice.requestNo'), width: 170, fixed: 'left', render: (_, r) => <a onClick={() => navigate(`/cloud/requests/${r.id}`)} data-testid={`selfservice-request-${r.requestNo}`}>{r.requestNo}</a> },
          { key: 'kind', title: t('selfservice.kind'), width: 90, render: (_, r) => t(`selfservice.kind.${r.kind}` as Key) },
          { key: 'name', title: t('selfservice.name'), width: 200, render: (_, r) => r.name },
          { key: 'shape', title: t('selfservice.shape'), width: 190, render: (_, r) => shape(r) },
          { key: 'state', title: t('selfservice.state'), width: 150, render: (_, r) => <Space size={4}><StateTag state={r.state} />{r.autoApproved && <Tag>{t('selfservice.autoApproved')}</Tag>}</Space> },
          { key: 'at', title: t('selfservice.createdAt'), width: 160, render: (_, r) => formatDateTime(r.createdAt) },
        ]}
      />
    </div>
  );
}
