// /feeds — 数据订阅: change-feed subscriptions of the department's applications and on its resources, with status,
// lag and failures; create (a webhook's signing secret is shown once), pause/resume, test delivery, delete.
import { useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n, type Translate } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { feedsApi, type Created, type GrantOption, type Subscription } from './api.ts';

type Status = Subscription['status'];
type Side = 'consumer' | 'provider';
const STATUS_COLORS: Record<Status, string> = { active: 'success', paused: 'default', failing: 'error', suspended: 'warning' };
const STATUSES: Status[] = ['active', 'paused', 'failing', 'suspended'];

function age(t: Translate, seconds: number): string {
  if (seconds < 60) return t('feeds.seconds', { n: seconds });
  if (seconds < 3600) return t('feeds.minutes', { n: Math.floor(seconds / 60) });
  if (seconds < 86_400) return t('feeds.hours', { n: Math.floor(seconds / 3600) });
  return t('feeds.days', { n: Math.floor(seconds / 86_400) });
}

interface CreateValues {
  shareId: string;
  clientAppId: string;
  mode: 'pull' | 'webhook';
  webhookUrl?: string;
  algorithm?: 'hmac-sha256' | 'sm3-hmac';
}

function CreateModal({ onCancel, onDone }: { onCancel: () => void; onDone: (created: Created) => void }) {
  const { t } = useI18n();
  const [grants, setGrants] = useState<GrantOption[] | null>(null);
  const [shareId, setShareId] = useState<string | undefined>();
  const [mode, setMode] = useState<'pull' | 'webhook'>('pull');
  useEffect(() => {
    let live = true;
    feedsApi.grants().then(
      (g) => live && setGrants(g),
      () => live && setGrants([]),
    );
    return () => {
      live = false;
    };
  }, []);
  const apps = grants?.find((g) => g.shareId === shareId)?.clientApps ?? [];
  return (
    <FormModal<CreateValues, Created>
      title={t('feeds.create')}
      testId="feed-create"
      initialValues={{ mode: 'pull', algorithm: 'sm3-hmac' }}
      onSubmit={(v) =>
        feedsApi.create({
          shareId: v.shareId,
          clientAppId: v.clientAppId,
          ...(v.mode === 'webhook' ? { webhookUrl: v.webhookUrl?.trim() ?? '', algorithm: v.algorithm ?? 'sm3-hmac' } : {}),
        })
      }
      onDone={onDone}
      onCancel={onCancel}
      successMessage={t('feeds.created')}
      intro={grants !== null && grants.length === 0 ? <Alert type="info" showIcon title={t('feeds.noGrants')} /> : undefined}
    >
      <Form.Item name="shareId" label={t('feeds.grant')} extra={t('feeds.grantHint')} rules={[requiredRule(t)]}>
        <Select
          id="feed-grant"
          showSearch={{ optionFilterProp: 'label' }}
          loading={grants === null}
          onChange={(v: string) => setShareId(v)}
          options={(grants ?? []).map((g) => ({ value: g.shareId, label: `${g.resourceName}（${g.resourceCode}）· ${g.consumerDepartmentName}` }))}
        />
      </Form.Item>
      <Form.Item name="clientAppId" label={t('feeds.client')} rules={[requiredRule(t)]}>
        <Select id="feed-client" showSearch={{ optionFilterProp: 'label' }} options={apps.map((a) => ({ value: a.id, label: `${a.name}（${a.clientId}）` }))} />
      </Form.Item>
      <Form.Item name="mode" label={t('feeds.mode')}>
        <Radio.Group onChange={(e) => setMode(e.target.value as 'pull' | 'webhook')}>
          <Radio value="pull">{t('feeds.mode.pull')}</Radio>
          <Radio value="webhook" id="feed-mode-webhook">
            {t('feeds.mode.webhook')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      {mode === 'webhook' ? (
        <>
          <Form.Item name="webhookUrl" label={t('feeds.webhookUrl')} extra={t('feeds.webhookUrlHint')} rules={[requiredRule(t), { type: 'url', message: t('feeds.webhookUrlHint') }]}>
            <Input id="feed-url" placeholder="https://" maxLength={2000} />
          </Form.Item>
          <Form.Item name="algorithm" label={t('feeds.algorithm')} rules={[requiredRule(t)]}>
            <Select
              options={[
                { value: 'sm3-hmac', label: 'SM3-HMAC' },
                { value: 'hmac-sha256', label: 'HMAC-SHA256' },
              ]}
            />
          </Form.Item>
        </>
      ) : null}
    </FormModal>
  );
}

export default function FeedsPage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [side, setSide] = useState<Side | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fetchPage: PageFetcher<Subscription> = (cursor, signal, limit) => feedsApi.list({ side, status, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Subscription>(`${side ?? ''}|${status ?? ''}`, fetchPage);

  const act = async (s: Subscription, action: 'pause' | 'resume' | 'test' | 'delete') => {
    setBusy(`${action}:${s.id}`);
    try {
      if (action === 'test') {
        const r = await feedsApi.test(s.id);
        if (r.ok) void message.success(t('feeds.testOk', { status: r.status ?? '', ms: r.ms }));
        else void message.error(t('feeds.testFailed', { error: r.error ?? `HTTP ${r.status ?? ''}` }));
      } else {
        if (action === 'pause') await feedsApi.pause(s.id);
        else if (action === 'resume') await feedsApi.resume(s.id);
        else await feedsApi.remove(s.id);
        void message.success(t('feeds.done'));
      }
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  const statusTag = (s: Subscription) => (
    <Tooltip title={s.lastError ?? undefined}>
      <Tag color={STATUS_COLORS[s.status]} data-testid={`feed-status-${s.id}`}>
        {tx(`feeds.status.${s.status}`, s.status)}
      </Tag>
    </Tooltip>
  );
  const lag = (s: Subscription) =>
    s.lag.behind === 0 ? '0' : `${t('feeds.lagRows', { n: s.lag.behind })}${s.lag.oldestAgeSeconds === null ? '' : ` · ${t('feeds.lagAge', { age: age(t, s.lag.oldestAgeSeconds) })}`}`;

  const columns: ListColumn<Subscription>[] = [
    { key: 'client', title: t('feeds.client'), width: 140, required: true, sort: (s) => s.clientName, render: (s) => s.clientName, exportValue: (s) => s.clientName },
    { key: 'resource', title: t('feeds.resource'), width: 160, sort: (s) => s.resourceName, render: (s) => s.resourceName, exportValue: (s) => `${s.resourceName} ${s.resourceCode}` },
    { key: 'consumer', title: t('feeds.consumer'), width: 130, render: (s) => s.consumerDepartmentName, exportValue: (s) => s.consumerDepartmentName, defaultHidden: false },
    { key: 'provider', title: t('feeds.provider'), width: 150, render: (s) => s.providerDepartmentName, exportValue: (s) => s.providerDepartmentName, defaultHidden: true },
    { key: 'mode', title: t('feeds.mode'), width: 70, render: (s) => tx(`feeds.mode.${s.mode}`, s.mode), exportValue: (s) => s.mode },
    { key: 'status', title: t('feeds.status'), width: 100, sort: (s) => s.status, render: statusTag, exportValue: (s) => tx(`feeds.status.${s.status}`, s.status) },
    { key: 'lag', title: t('feeds.lag'), width: 130, sort: (s) => s.lag.behind, render: lag, exportValue: (s) => s.lag.behind },
    { key: 'failures', title: t('feeds.failures'), width: 70, dataIndex: 'failureCount', sort: (s) => s.failureCount },
    { key: 'lastError', title: t('feeds.lastError'), width: 150, ellipsis: true, render: (s) => s.lastError ?? '—', exportValue: (s) => s.lastError ?? '' },
    { key: 'lastDelivered', title: t('feeds.lastDelivered'), width: 150, render: (s) => formatDateTime(s.lastDeliveredAt ?? s.lastPulledAt), exportValue: (s) => s.lastDeliveredAt ?? s.lastPulledAt ?? '' },
    { key: 'cursor', title: t('feeds.cursor'), width: 90, dataIndex: 'cursor', className: 'mono', defaultHidden: true },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 200,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (s) =>
        s.abilities.length === 0 ? (
          '—'
        ) : (
          <Space size={0} wrap>
            {rowCan(s, 'pause') ? (
              <Button type="link" size="small" loading={busy === `pause:${s.id}`} onClick={() => void act(s, 'pause')} data-testid={`feed-pause-${s.id}`}>
                {t('feeds.pause')}
              </Button>
            ) : null}
            {rowCan(s, 'resume') ? (
              <Button type="link" size="small" loading={busy === `resume:${s.id}`} onClick={() => void act(s, 'resume')} data-testid={`feed-resume-${s.id}`}>
                {t('feeds.resume')}
              </Button>
            ) : null}
            {rowCan(s, 'test') ? (
              <Button type="link" size="small" loading={busy === `test:${s.id}`} onClick={() => void act(s, 'test')} data-testid={`feed-test-${s.id}`}>
                {t('feeds.test')}
              </Button>
            ) : null}
            {rowCan(s, 'delete') ? (
              <Popconfirm title={t('feeds.deleteConfirm')} okText={t('feeds.delete')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => act(s, 'delete')}>
                <Button type="link" size="small" danger loading={busy === `delete:${s.id}`}>
                  {t('feeds.delete')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        ),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('feeds.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="feed-create">
            {t('feeds.create')}
          </Button>
        }
      />
      <ListPage<Subscription>
        id="feed"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1240}
        phoneLead={{ key: 'client', width: 150, primary: (s) => s.clientName, secondary: (s) => s.resourceName, folds: ['resource'] }}
        filters={
          <>
            <Select<Side | 'all'>
              value={side ?? 'all'}
              style={{ width: 170 }}
              onChange={(v) => setSide(v === 'all' ? undefined : v)}
              options={[
                { value: 'all', label: t('feeds.side.all') },
                { value: 'consumer', label: t('feeds.side.consumer') },
                { value: 'provider', label: t('feeds.side.provider') },
              ]}
            />
            <Select<Status | 'all'>
              value={status ?? 'all'}
              style={{ width: 130 }}
              onChange={(v) => setStatus(v === 'all' ? undefined : v)}
              options={[{ value: 'all', label: t('feeds.allStatuses') }, ...STATUSES.map((s) => ({ value: s, label: tx(`feeds.status.${s}`, s) }))]}
            />
          </>
        }
      />
      {creating ? (
        <CreateModal
          onCancel={() => setCreating(false)}
          onDone={(created) => {
            setCreating(false);
            if (created.signingSecret) setSecret(created.signingSecret);
            list.reload();
          }}
        />
      ) : null}
      <Modal open={secret !== null} title={t('feeds.secretTitle')} onOk={() => setSecret(null)} onCancel={() => setSecret(null)} cancelButtonProps={{ style: { display: 'none' } }} okText={t('common.close')}>
        <Alert type="warning" showIcon title={t('feeds.secretHint')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: secret ?? '' }} code data-testid="feed-secret" style={{ wordBreak: 'break-all' }}>
          {secret}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
