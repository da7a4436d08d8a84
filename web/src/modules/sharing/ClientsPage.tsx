// /sharing/clients — client applications (consuming systems) of the caller's department: register (the secret shown
// once, with a copy button), rotate (a new secret; the old one works 24 h more), disable and enable.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, InputNumber, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { sharingApi, type ClientApp, type ClientWithSecret } from './api.ts';

export default function ClientsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<ClientWithSecret | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fetchPage: PageFetcher<ClientApp> = (cursor, signal, limit) => sharingApi.clients({ cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<ClientApp>('clients', fetchPage, { choosePageSize: true });

  const act = async (row: ClientApp, action: 'rotate' | 'disable' | 'enable') => {
    setBusy(row.id);
    try {
      if (action === 'rotate') setSecret(await sharingApi.rotate(row.id));
      else {
        await (action === 'disable' ? sharingApi.disable(row.id) : sharingApi.enable(row.id));
        void message.success(t('sharing.clients.saved'));
      }
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: ListColumn<ClientApp>[] = [
    { key: 'name', title: t('sharing.clients.name'), dataIndex: 'name', width: 180, required: true, sort: (c) => c.name },
    { key: 'clientId', title: t('sharing.clients.clientId'), dataIndex: 'clientId', width: 200, className: 'mono' },
    { key: 'department', title: t('sharing.clients.department'), width: 160, render: (c) => c.department.name, exportValue: (c) => c.department.name },
    { key: 'rate', title: t('sharing.clients.rate'), dataIndex: 'ratePerMinute', width: 120 },
    { key: 'expires', title: t('sharing.clients.expires'), width: 160, render: (c) => formatDateTime(c.secretExpiresAt), exportValue: (c) => c.secretExpiresAt },
    { key: 'grace', title: t('sharing.clients.grace'), width: 160, render: (c) => (c.previousSecretValidUntil ? formatDateTime(c.previousSecretValidUntil) : '—'), exportValue: (c) => c.previousSecretValidUntil ?? '' },
    {
      key: 'status',
      title: t('sharing.status'),
      width: 80,
      render: (c) => <Tag color={c.status === 'active' ? 'success' : 'default'}>{t(c.status === 'active' ? 'sharing.clients.status.active' : 'sharing.clients.status.disabled')}</Tag>,
      exportValue: (c) => c.status,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (c) => (
        <Space size={0}>
          {rowCan(c, 'rotate') ? (
            <Popconfirm title={t('sharing.clients.rotateConfirm')} okText={t('sharing.clients.rotate')} cancelText={t('common.cancel')} onConfirm={() => act(c, 'rotate')}>
              <Button type="link" size="small" icon={<KeyOutlined />} loading={busy === c.id} data-testid={`client-rotate-${c.id}`}>
                {t('sharing.clients.rotate')}
              </Button>
            </Popconfirm>
          ) : null}
          {rowCan(c, 'disable') ? (
            <Button type="link" size="small" danger onClick={() => void act(c, 'disable')} data-testid={`client-disable-${c.id}`}>
              {t('sharing.clients.disable')}
            </Button>
          ) : null}
          {rowCan(c, 'enable') ? (
            <Button type="link" size="small" onClick={() => void act(c, 'enable')} data-testid={`client-enable-${c.id}`}>
              {t('sharing.clients.enable')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('sharing.clients.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="client-new">
            {t('sharing.clients.new')}
          </Button>
        }
      />
      <ListPage<ClientApp> id="sharing-client" list={list} fetchPage={fetchPage} columns={columns} rowKey="id" scrollX={1250} phoneLead={{ key: 'name', width: 160, primary: (c) => c.name, secondary: (c) => c.clientId, folds: ['clientId'] }} />
      {creating ? (
        <CreateDialog
          onClose={(created) => {
            setCreating(false);
            if (created) {
              setSecret(created);
              list.reload();
            }
          }}
        />
      ) : null}
      {secret ? <SecretDialog value={secret} onClose={() => setSecret(null)} /> : null}
    </div>
  );
}

function CreateDialog({ onClose }: { onClose: (created: ClientWithSecret | null) => void }) {
  const { t, problem } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rate, setRate] = useState<number>(600);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (name.trim() === '') return setError(t('sharing.wizard.required'));
    setSaving(true);
    try {
      onClose(await sharingApi.createClient({ name: name.trim(), description, ratePerMinute: rate }));
    } catch (err) {
      setError(problem(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t('sharing.clients.new')} onCancel={() => onClose(null)} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'client-save' } as never}>
      <Form layout="vertical">
        <Form.Item label={t('sharing.clients.name')} required validateStatus={error ? 'error' : undefined} help={error ?? undefined}>
          <Input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="client-name" />
        </Form.Item>
        <Form.Item label={t('sharing.clients.description')}>
          <Input.TextArea rows={2} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('sharing.clients.rate')}>
          <InputNumber min={1} max={100000} value={rate} onChange={(v) => setRate(v ?? 600)} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SecretDialog({ value, onClose }: { value: ClientWithSecret; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const copy = async () => {
    await navigator.clipboard.writeText(value.clientSecret);
    void message.success(t('sharing.clients.copied'));
  };
  return (
    <Modal open title={t('sharing.clients.secretTitle')} onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }} maskClosable={false}>
      <Alert type="warning" showIcon message={t('sharing.clients.secretHint')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>
        {t('sharing.clients.clientId')}：<Typography.Text code>{value.client.clientId}</Typography.Text>
      </Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={value.clientSecret} className="mono" data-testid="client-secret" />
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="client-secret-copy">
          {t('sharing.clients.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
