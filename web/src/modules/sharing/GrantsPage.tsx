// /sharing/grants — data grants the caller's department holds or gave (newest first), revoked where the row allows.
import { useState } from 'react';
import { App as AntApp, Button, Checkbox, Form, Modal, Popconfirm, Select, Space, Tag } from 'antd';
import { EyeInvisibleOutlined, StopOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { sharingApi, type DataGrant } from './api.ts';

const COLORS: Record<DataGrant['status'], string> = { active: 'success', expired: 'default', revoked: 'warning' };

export default function GrantsPage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [activeOnly, setActiveOnly] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [masking, setMasking] = useState<DataGrant | null>(null);
  const fetchPage: PageFetcher<DataGrant> = (cursor, signal, limit) => sharingApi.grants({ active: activeOnly || undefined, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<DataGrant>(String(activeOnly), fetchPage, { choosePageSize: true });

  const revoke = async (g: DataGrant) => {
    setBusy(g.shareId);
    try {
      await sharingApi.revoke(g.shareId);
      void message.success(t('sharing.revoked'));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: ListColumn<DataGrant>[] = [
    { key: 'resource', title: t('sharing.resource'), width: 190, required: true, render: (g) => g.resource.name, exportValue: (g) => g.resource.name, sort: (g) => g.resource.name },
    { key: 'provider', title: t('sharing.provider'), width: 160, render: (g) => g.provider.name, exportValue: (g) => g.provider.name },
    { key: 'consumer', title: t('sharing.consumer'), width: 160, render: (g) => g.consumer.name, exportValue: (g) => g.consumer.name },
    { key: 'system', title: t('sharing.system'), width: 140, render: (g) => g.clientApp?.name ?? '—', exportValue: (g) => g.clientApp?.name ?? '' },
    { key: 'items', title: t('sharing.items'), width: 180, ellipsis: true, render: (g) => g.items.join('、'), exportValue: (g) => g.items.join(' ') },
    { key: 'region', title: t('sharing.region'), dataIndex: 'regionPrefix', width: 110, className: 'mono' },
    { key: 'number', title: t('sharing.number'), dataIndex: 'requestNumber', width: 170, className: 'mono' },
    { key: 'expiresAt', title: t('sharing.expiresAt'), width: 160, sort: (g) => g.expiresAt, render: (g) => formatDateTime(g.expiresAt), exportValue: (g) => g.expiresAt },
    { key: 'status', title: t('sharing.status'), width: 90, render: (g) => <Tag color={COLORS[g.status]}>{tx(`sharing.grant.status.${g.status}`, g.status)}</Tag>, exportValue: (g) => g.status },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (g) =>
        rowCan(g, 'revoke') || rowCan(g, 'masks') ? (
          <Space size={0}>
            {rowCan(g, 'masks') ? (
              <Button type="link" size="small" icon={<EyeInvisibleOutlined />} onClick={() => setMasking(g)} data-testid={`grant-masks-${g.shareId}`}>
                {t('sharing.masks')}
              </Button>
            ) : null}
            {rowCan(g, 'revoke') ? (
              <Popconfirm title={t('sharing.revokeConfirm')} okText={t('sharing.revoke')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => revoke(g)}>
                <Button type="link" size="small" danger icon={<StopOutlined />} loading={busy === g.shareId} data-testid={`grant-revoke-${g.shareId}`}>
                  {t('sharing.revoke')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('sharing.grants.title')} />
      <ListPage<DataGrant>
        id="sharing-grant"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="shareId"
        scrollX={1500}
        phoneLead={{ key: 'resource', width: 170, primary: (g) => g.resource.name, secondary: (g) => g.consumer.name, folds: ['consumer'] }}
        filters={
          <Checkbox checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)}>
            {t('sharing.activeOnly')}
          </Checkbox>
        }
      />
      {masking ? (
        <MasksDialog
          grant={masking}
          onClose={(saved) => {
            setMasking(null);
            if (saved) list.reload();
          }}
        />
      ) : null}
    </div>
  );
}

const MASKS = ['id_number', 'phone', 'name', 'all', 'none'] as const;

function MasksDialog({ grant, onClose }: { grant: DataGrant; onClose: (saved: boolean) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [masks, setMasks] = useState<DataGrant['masks']>(grant.masks);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await sharingApi.setMasks(grant.shareId, masks);
      void message.success(t('sharing.masks.saved'));
      onClose(true);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t('sharing.masks.title', { resource: grant.resource.name })} onCancel={() => onClose(false)} onOk={() => void save()} confirmLoading={saving}>
      <Form layout="horizontal" labelCol={{ span: 8 }}>
        {grant.items.map((item) => (
          <Form.Item key={item} label={<span className="mono">{item}</span>}>
            <Select<string>
              value={masks[item] ?? ''}
              onChange={(v) => {
                const next = { ...masks };
                if (v === '') delete next[item];
                else next[item] = v as (typeof MASKS)[number];
                setMasks(next);
              }}
              options={[{ value: '', label: t('sharing.masks.default') }, ...MASKS.map((m) => ({ value: m, label: t(`sharing.masks.${m}`) }))]}
            />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
