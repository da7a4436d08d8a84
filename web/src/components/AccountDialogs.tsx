// The signed-in user's own account: change password, and API tokens for machine clients (from the header menu).
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Checkbox, Drawer, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CopyOutlined, KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, isAbortError, PERMISSIONS, type ApiToken, type CreatedApiToken, type Permission } from '../api/index.ts';
import { useI18n, useMe } from '../context.tsx';
import { formatDateTime } from '../format.ts';
import { checkPassword, checkPlainText } from '../validation.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { checkRule, FormModal, requiredRule } from './FormModal.tsx';

// ---------------------------------------------------------------------------------------------
// 修改密码

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  return (
    <FormModal<ChangePasswordValues, void>
      testId="change-password-form"
      title={t('account.changePassword')}
      okText={t('account.changePasswordOk')}
      width={480}
      onSubmit={(v) => api.changePassword(v.currentPassword, v.newPassword)}
      onDone={onClose}
      onCancel={onClose}
      successMessage={t('account.passwordChanged')}
      intro={<Alert type="info" showIcon className="modal-intro" title={t('account.changePasswordHint')} />}
    >
      {/* A hidden username field lets password managers pair the new password with the account. */}
      <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('validation.required') }]}>
        <Input.Password autoComplete="current-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        required
        dependencies={['currentPassword']}
        rules={[
          checkRule(t, (v) => checkPassword(v, me.username, me.displayName), { required: true }),
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) =>
              value && value === getFieldValue('currentPassword') ? Promise.reject(new Error(t('validation.passwordUnchanged'))) : Promise.resolve(),
          }),
        ]}
        extra={t('users.passwordHint')}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('users.passwordConfirm')}
        required
        dependencies={['newPassword']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) =>
              value === getFieldValue('newPassword') && value ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </FormModal>
  );
}

// ---------------------------------------------------------------------------------------------
// API 令牌

interface NewTokenValues {
  name: string;
  scopes: Permission[];
  expiresInDays: number;
}

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

function CreateTokenModal({ onCancel, onDone }: { onCancel: () => void; onDone: (token: CreatedApiToken) => void }) {
  const { t, tx } = useI18n();
  const me = useMe();
  // A token can only carry permissions its owner holds.
  const held = PERMISSIONS.filter((p) => me.permissions.includes(p));
  return (
    <FormModal<NewTokenValues, CreatedApiToken>
      testId="token-create-form"
      title={t('tokens.create')}
      okText={t('common.create')}
      initialValues={{ expiresInDays: 90, scopes: held.filter((p) => p.endsWith('.read')) }}
      onSubmit={(v) => api.createToken({ name: v.name.trim(), scopes: v.scopes, expiresInDays: v.expiresInDays })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Form.Item name="name" label={t('tokens.name')} required rules={[checkRule(t, (s) => checkPlainText(s, 100), { required: true })]} extra={t('tokens.nameHint')}>
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="scopes"
        label={t('tokens.scopes')}
        rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
        extra={t('tokens.scopesHint')}
      >
        <Checkbox.Group className="scope-checks" options={held.map((p) => ({ value: p, label: `${tx(`perm.${p}`, p)}（${p}）` }))} />
      </Form.Item>
      <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} rules={[requiredRule(t)]}>
        <InputNumber min={1} max={365} precision={0} suffix={t('tokens.days')} style={{ width: 160 }} />
      </Form.Item>
    </FormModal>
  );
}

/** Shows a new token's secret once, with a copy button. */
function TokenSecretModal({ token, onClose }: { token: CreatedApiToken; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      void message.success(t('tokens.copied'));
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): select the text for a manual copy.
      const el = document.getElementById('token-secret');
      if (el) window.getSelection()?.selectAllChildren(el);
      void message.warning(t('tokens.copyFailed'));
    }
  };
  return (
    <Modal
      open
      title={t('tokens.createdTitle', { name: token.name })}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('tokens.savedIt')}
        </Button>
      }
      width={600}
    >
      <div data-testid="token-secret-dialog">
        <Alert type="warning" showIcon className="modal-intro" title={t('tokens.secretOnce')} />
        <div className="token-secret">
          <code id="token-secret" className="mono break-all">
            {token.token}
          </code>
          <Button icon={<CopyOutlined />} onClick={() => void copy()}>
            {t('tokens.copy')}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" className="modal-note">
          {t('tokens.usage')} <code className="mono">Authorization: Bearer {token.token.slice(0, 8)}…</code>
          <br />
          {t('tokens.expiresOn', { time: formatDateTime(token.expiresAt) })}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}

export function TokensDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .tokens(controller.signal)
      .then(setTokens)
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [open, tick]);

  const revoke = async (token: ApiToken) => {
    setRevoking(token.id);
    try {
      await api.revokeToken(token.id);
      void message.success(t('tokens.revoked', { name: token.name }));
      reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setRevoking(null);
    }
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name', ellipsis: true },
    {
      title: t('tokens.scopes'),
      key: 'scopes',
      render: (_: unknown, token: ApiToken) => (
        <span className="grant-tags">
          {token.scopes.map((s) => (
            <Tooltip key={s} title={s}>
              <Tag>{tx(`perm.${s}`, s)}</Tag>
            </Tooltip>
          ))}
        </span>
      ),
    },
    {
      title: t('tokens.status'),
      key: 'status',
      width: 80,
      render: (_: unknown, token: ApiToken) => {
        const state = tokenState(token);
        return <Tag color={state === 'active' ? 'success' : 'default'}>{t(`tokens.state.${state}`)}</Tag>;
      },
    },
    { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', key: 'expiresAt', width: 150, render: (v: string) => formatDateTime(v).slice(0, 16) },
    {
      title: t('tokens.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      key: 'lastUsedAt',
      width: 150,
      render: (v: string | null) => (v ? formatDateTime(v).slice(0, 16) : t('tokens.neverUsed')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 70,
      render: (_: unknown, token: ApiToken) =>
        tokenState(token) === 'revoked' ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: token.name })}
            description={t('tokens.revokeHint')}
            okText={t('tokens.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke(token)}
          >
            <Button type="link" size="small" danger loading={revoking === token.id}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={860}
      title={
        <Space>
          <KeyOutlined />
          {t('tokens.title')}
        </Space>
      }
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        </Space>
      }
    >
      <div data-testid="tokens-drawer">
        <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
        <ErrorAlert error={error} onRetry={reload} />
        <Table<ApiToken>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={tokens ?? []}
          loading={loading}
          pagination={false}
          rowClassName={(token) => (tokenState(token) === 'active' ? '' : 'row-retired')}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tokens.none')} /> }}
        />
      </div>
      {creating ? (
        <CreateTokenModal
          onCancel={() => setCreating(false)}
          onDone={(created) => {
            setCreating(false);
            setSecret(created);
            void message.success(t('tokens.created', { name: created.name }));
            reload();
          }}
        />
      ) : null}
      {secret ? <TokenSecretModal token={secret} onClose={() => setSecret(null)} /> : null}
    </Drawer>
  );
}
