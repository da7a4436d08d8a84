// /shares — share grants of departments in your jurisdiction (newest first, up to 500: the API does not page them),
// with a revoke button on the rows whose abilities include it.
import { useState } from 'react';
import { App as AntApp, Button, Checkbox, Popconfirm, Tag } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { call, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';

type Share = ResponseOf<'/api/shares', 'get'>['items'][number];
const STATUS_COLORS: Record<Share['status'], string> = { active: 'success', expired: 'default', revoked: 'warning' };

const sharesApi = {
  list: (query: QueryOf<'/api/shares'>, signal?: AbortSignal) => call(client.GET('/api/shares', { params: { query }, signal })),
  revoke: (id: string): Promise<Share> => call(client.POST('/api/shares/{id}/revoke', { params: { path: { id } } })),
};

export default function SharesPage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [activeOnly, setActiveOnly] = useState(true);
  const [revoking, setRevoking] = useState<string | null>(null);
  const fetchPage: PageFetcher<Share> = async (_cursor, signal) => ({ ...(await sharesApi.list({ active: activeOnly || undefined, limit: 500 }, signal)), nextCursor: null });
  const list = useCursorList<Share>(String(activeOnly), fetchPage);

  const revoke = async (share: Share) => {
    setRevoking(share.id);
    try {
      await sharesApi.revoke(share.id);
      void message.success(t('shares.revoked'));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setRevoking(null);
    }
  };

  const grantee = (s: Share) => (s.grantee.kind === 'client' ? `${t('shares.grantee.client')} · ${s.grantee.name}` : s.grantee.name);
  const columns: ListColumn<Share>[] = [
    { key: 'owner', title: t('shares.owner'), width: 180, required: true, sort: (s) => s.owner.name, render: (s) => s.owner.name, exportValue: (s) => s.owner.name },
    { key: 'grantee', title: t('shares.grantee'), width: 180, sort: grantee, render: grantee, exportValue: grantee },
    { key: 'resource', title: t('shares.resource'), dataIndex: 'resource', width: 90, className: 'mono' },
    { key: 'fields', title: t('shares.fields'), width: 160, render: (s) => s.fields.join('、'), exportValue: (s) => s.fields.join(' ') },
    { key: 'purpose', title: t('shares.purpose'), dataIndex: 'purpose', ellipsis: true },
    { key: 'expiresAt', title: t('shares.expiresAt'), dataIndex: 'expiresAt', width: 160, sort: (s) => s.expiresAt, render: (s) => formatDateTime(s.expiresAt) },
    {
      key: 'status',
      title: t('shares.status'),
      dataIndex: 'status',
      width: 90,
      render: (s) => <Tag color={STATUS_COLORS[s.status]}>{tx(`shares.status.${s.status}`, s.status)}</Tag>,
      exportValue: (s) => tx(`shares.status.${s.status}`, s.status),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (s) =>
        rowCan(s, 'revoke') ? (
          <Popconfirm title={t('shares.revokeConfirm')} okText={t('shares.revoke')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => revoke(s)}>
            <Button type="link" size="small" danger icon={<StopOutlined />} loading={revoking === s.id} data-testid={`share-revoke-${s.id}`}>
              {t('shares.revoke')}
            </Button>
          </Popconfirm>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('shares.title')} />
      <ListPage<Share>
        id="share"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1100}
        filters={
          <Checkbox checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)}>
            {t('shares.activeOnly')}
          </Checkbox>
        }
      />
    </div>
  );
}
