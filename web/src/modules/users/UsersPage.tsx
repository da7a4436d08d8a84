// /users — cursor-paginated user table with roles and their jurisdictions; account management for holders of
// users.manage (create, edit, password/activation, unlock, disable/enable, role grants).
import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Dropdown, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { DeleteOutlined, DownOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { api, ROLES, type Grant, type Me, type NewGrant, type Role, type User, type UserPatch } from '../../api/index.ts';
import { CursorPager, useCursorList } from '../../components/cursor.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { applyProblem, checkRule, FormModal, requiredRule } from '../../components/FormModal.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useAuth, useI18n, useMe } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { phoneColumns } from '../../components/phoneColumns.tsx';
import { checkEmail, checkPassword, checkPhone, checkPlainText, checkUsername } from '../../validation.ts';

const ROLE_COLORS: Record<string, string> = {
  platform_admin: 'red',
  department_admin: 'volcano',
  department_staff: 'blue',
  community_worker: 'cyan',
  supervisor: 'purple',
  auditor: 'magenta',
  leader: 'gold',
};

/** Roles a department admin may hand out; the others only a platform admin may (src/modules/accounts/service.ts). */
const DELEGABLE: readonly Role[] = ['department_staff', 'community_worker'];

const isPlatformAdmin = (me: Me): boolean => me.grants.some((g) => g.role === 'platform_admin');

/** The roles the signed-in user may grant. */
function grantableRoles(me: Me): readonly Role[] {
  return isPlatformAdmin(me) ? ROLES : DELEGABLE;
}

/** Whether the signed-in user may manage this account at all (a department admin cannot manage a platform admin …). */
function canManageUser(user: User): boolean {
  return user.kind === 'staff' && user.manageable;
}

export function GrantTags({ grants }: { grants: Grant[] }) {
  const { tx } = useI18n();
  if (grants.length === 0) return <span>—</span>;
  return (
    <span className="grant-tags">
      {grants.map((g) => (
        <Tooltip key={`${g.role}@${g.regionCode}`} title={g.regionCode}>
          <Tag color={ROLE_COLORS[g.role] ?? 'default'}>
            {tx(`role.${g.role}`, g.role)} · {g.regionName}
          </Tag>
        </Tooltip>
      ))}
    </span>
  );
}

function RoleSelect({ value, onChange, id, roles }: { value?: Role; onChange?: (role: Role) => void; id?: string; roles: readonly Role[] }) {
  const { t, tx } = useI18n();
  return (
    <Select<Role>
      id={id}
      value={value}
      onChange={onChange}
      placeholder={t('users.rolePick')}
      options={roles.map((r) => ({ value: r, label: tx(`role.${r}`, r) }))}
    />
  );
}

/**
 * Password + confirmation fields. The "must not contain the user name" rule uses `username` when given, else the
 * form's own username field.
 */
function PasswordFields({ username, required, label, hint }: { username?: string; required: boolean; label: string; hint?: string }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="password"
        label={label}
        required={required}
        dependencies={username === undefined ? ['username'] : []}
        rules={[({ getFieldValue }) => checkRule(t, (v) => checkPassword(v, username ?? ((getFieldValue('username') as string | undefined) ?? '').trim(), getFieldValue('displayName') as string | undefined), { required })]}
        extra={hint ?? t('users.passwordHint')}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('users.passwordConfirm')}
        required={required}
        dependencies={['password']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) => {
              const password = (getFieldValue('password') as string | undefined) ?? '';
              if (!password && !value) return Promise.resolve();
              return value === password ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// 新建用户

interface NewUserValues {
  username: string;
  displayName: string;
  departmentId: string;
  password?: string;
  confirm?: string;
  phone?: string;
  email?: string;
  grants?: { role?: Role; regionCode?: string }[];
}

function CreateUserModal({ onCancel, onDone }: { onCancel: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const roles = grantableRoles(me);

  const submit = (v: NewUserValues): Promise<User> => {
    const grants: NewGrant[] = (v.grants ?? []).map((g) => ({ role: g.role!, regionCode: g.regionCode! }));
    return api.createUser({
      username: v.username.trim(),
      displayName: v.displayName.trim(),
      departmentId: v.departmentId,
      password: v.password || undefined,
      phone: v.phone?.trim() || undefined,
      email: v.email?.trim() || undefined,
      grants,
    });
  };

  return (
    <FormModal<NewUserValues, User>
      testId="user-create-form"
      title={t('users.create')}
      okText={t('common.create')}
      width={680}
      initialValues={{ grants: [{ role: 'department_staff' }] }}
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={(u) => (u.activated ? t('users.created', { name: u.username }) : t('users.createdInactive', { name: u.username }))}
    >
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="username" label={t('users.username')} required rules={[checkRule(t, checkUsername, { required: true })]} extra={t('users.usernameHint')}>
                <Input maxLength={64} autoComplete="off" className="mono" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="displayName" label={t('users.displayName')} required rules={[checkRule(t, (s) => checkPlainText(s, 100), { required: true })]}>
                <Input maxLength={100} autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="departmentId" label={t('users.department')} rules={[requiredRule(t)]}>
            <DepartmentSelect width="100%" placeholder={t('users.departmentPick')} />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="phone" label={t('users.phone')} rules={[checkRule(t, checkPhone)]}>
                <Input maxLength={21} autoComplete="off" className="mono" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="email" label={t('users.email')} rules={[checkRule(t, checkEmail)]}>
                <Input maxLength={254} autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <PasswordFields required={false} label={t('users.initialPassword')} hint={t('users.initialPasswordHint')} />
          <Typography.Text strong>{t('users.initialGrants')}</Typography.Text>
          <Form.List name="grants">
            {(fields, { add, remove }) => (
              <div className="grant-rows">
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} align="top">
                    <Col span={9}>
                      <Form.Item name={[field.name, 'role']} rules={[requiredRule(t)]} aria-label={t('users.role')}>
                        <RoleSelect roles={roles} />
                      </Form.Item>
                    </Col>
                    <Col span={13}>
                      <Form.Item name={[field.name, 'regionCode']} rules={[requiredRule(t)]}>
                        <RegionTreeSelect width="100%" placeholder={t('users.regionPick')} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                    </Col>
                  </Row>
                ))}
                {fields.length < 20 ? (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: roles.includes('department_staff') ? 'department_staff' : roles[0] })}>
                    {t('users.addGrant')}
                  </Button>
                ) : null}
              </div>
            )}
          </Form.List>
    </FormModal>
  );
}

// ---------------------------------------------------------------------------------------------
// 编辑 / 设置密码

interface EditUserValues {
  displayName: string;
  phone?: string;
  email?: string;
}

function EditUserModal({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();

  const submit = async (v: EditUserValues): Promise<User> => {
    const patch: UserPatch = {};
    const displayName = v.displayName.trim();
    if (displayName !== user.displayName) patch.displayName = displayName;
    if (v.phone?.trim()) patch.phone = v.phone.trim();
    if (v.email?.trim()) patch.email = v.email.trim();
    if (Object.keys(patch).length === 0) {
      void message.info(t('common.noChanges'));
      return user;
    }
    const updated = await api.updateUser(user.id, patch);
    void message.success(t('users.saved', { name: updated.username }));
    return updated;
  };

  return (
    <FormModal<EditUserValues, User>
      testId="user-edit-form"
      title={t('users.editTitle', { name: user.username })}
      initialValues={{ displayName: user.displayName }}
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      intro={<Alert type="info" showIcon className="modal-intro" title={t('users.editHint')} />}
    >
      <Form.Item name="displayName" label={t('users.displayName')} required rules={[checkRule(t, (s) => checkPlainText(s, 100), { required: true })]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="phone" label={t('users.phone')} rules={[checkRule(t, checkPhone)]}>
        <Input maxLength={21} className="mono" placeholder={user.phone ? t('users.keepCurrent', { value: user.phone }) : t('users.notSet')} />
      </Form.Item>
      <Form.Item name="email" label={t('users.email')} rules={[checkRule(t, checkEmail)]}>
        <Input maxLength={254} placeholder={t('users.keepUnchanged')} />
      </Form.Item>
    </FormModal>
  );
}

function SetPasswordModal({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal<{ password: string; confirm: string }, void>
      testId="user-password-form"
      title={user.activated ? t('users.resetPasswordTitle', { name: user.username }) : t('users.activateTitle', { name: user.username })}
      okText={user.activated ? t('users.resetPassword') : t('users.activate')}
      onSubmit={(v) => api.setUserPassword(user.id, v.password)}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={user.activated ? t('users.passwordReset', { name: user.username }) : t('users.activated', { name: user.username })}
      intro={<Alert type={user.activated ? 'warning' : 'info'} showIcon className="modal-intro" title={user.activated ? t('users.resetHint') : t('users.activateHint')} />}
    >
      <PasswordFields username={user.username} required label={t('users.newPassword')} />
    </FormModal>
  );
}

// ---------------------------------------------------------------------------------------------
// 角色授权

function GrantsModal({ user: initial, onClose, onChanged }: { user: User; onClose: () => void; onChanged: () => void }) {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const me = useMe();
  const roles = grantableRoles(me);
  const [user, setUser] = useState(initial);
  const [form] = Form.useForm<{ role: Role; regionCode: string }>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);

  const add = async (v: { role: Role; regionCode: string }) => {
    setAdding(true);
    setError(null);
    try {
      const updated = await api.addGrant(user.id, v);
      setUser(updated);
      form.resetFields();
      onChanged();
      void message.success(t('users.granted', { role: tx(`role.${v.role}`, v.role) }));
    } catch (err) {
      if (!applyProblem(form, err, problem(err))) setError(err);
    } finally {
      setAdding(false);
    }
  };

  const withdraw = async (g: Grant) => {
    const key = `${g.role}@${g.regionCode}`;
    setWithdrawing(key);
    setError(null);
    try {
      const updated = await api.removeGrant(user.id, g);
      setUser(updated);
      onChanged();
      void message.success(t('users.withdrawn', { role: tx(`role.${g.role}`, g.role), region: g.regionName }));
    } catch (err) {
      setError(err);
    } finally {
      setWithdrawing(null);
    }
  };

  const withdrawable = (g: Grant) => (roles as readonly string[]).includes(g.role);

  return (
    <Modal
      open
      title={t('users.grantsTitle', { name: `${user.displayName}（${user.username}）` })}
      onCancel={onClose}
      width={640}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      destroyOnHidden
    >
      <div data-testid="user-grants">
        {error ? <ErrorAlert error={error} message={problem(error)} /> : null}
        <Typography.Text strong>{t('users.currentGrants')}</Typography.Text>
        {user.grants.length === 0 ? (
          <Typography.Paragraph type="secondary" className="grant-empty">
            {t('users.noGrants')}
          </Typography.Paragraph>
        ) : (
          <Table<Grant>
            size="small"
            className="grant-table"
            rowKey={(g) => `${g.role}@${g.regionCode}`}
            pagination={false}
            dataSource={user.grants}
            columns={[
              { title: t('users.role'), key: 'role', render: (_: unknown, g: Grant) => <Tag color={ROLE_COLORS[g.role]}>{tx(`role.${g.role}`, g.role)}</Tag> },
              {
                title: t('users.jurisdiction'),
                key: 'region',
                render: (_: unknown, g: Grant) => (
                  <span>
                    {g.regionName} <span className="muted-mono">{g.regionCode}</span>
                  </span>
                ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 90,
                render: (_: unknown, g: Grant) => (
                  <Popconfirm
                    title={t('users.withdrawConfirm', { role: tx(`role.${g.role}`, g.role), region: g.regionName })}
                    okText={t('users.withdraw')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => withdraw(g)}
                    disabled={!withdrawable(g)}
                  >
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} disabled={!withdrawable(g)} loading={withdrawing === `${g.role}@${g.regionCode}`}>
                      {t('users.withdraw')}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        )}
        <Typography.Text strong>{t('users.addGrant')}</Typography.Text>
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} className="grant-add-form" disabled={adding} initialValues={{ role: roles.includes('department_staff') ? 'department_staff' : roles[0] }}>
          <Row gutter={8} align="top">
            <Col span={8}>
              <Form.Item name="role" label={t('users.role')} rules={[requiredRule(t)]}>
                <RoleSelect roles={roles} />
              </Form.Item>
            </Col>
            <Col span={11}>
              <Form.Item name="regionCode" label={t('users.jurisdiction')} rules={[requiredRule(t)]}>
                <RegionTreeSelect width="100%" placeholder={t('users.regionPick')} />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item label=" ">
                <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={adding} block>
                  {t('users.grant')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Typography.Paragraph type="secondary" className="modal-note">
          {isPlatformAdmin(me) ? t('users.grantHintAdmin') : t('users.grantHintDelegate')}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------

type Dialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'grants'; user: User } | null;

export default function UsersPage() {
  const { t, tx, problem } = useI18n();
  const { can } = useAuth();
  const me = useMe();
  const { message, modal } = AntApp.useApp();
  const canManage = can('users.manage');
  const phone = usePhoneLayout();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [departmentId, setDepartmentId] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog>(null);

  const query = { q: q || undefined, departmentId };
  const list = useCursorList<User>(JSON.stringify(query), (cursor, signal, limit) => api.users({ ...query, cursor, limit }, signal), { choosePageSize: true });

  const showCreated = (user: User) => {
    setDialog(null);
    setInput(user.username);
    setDepartmentId(undefined);
    if (q === user.username && departmentId === undefined) list.reload();
    else setQ(user.username);
  };

  const closeAndReload = () => {
    setDialog(null);
    list.reload();
  };

  /** A one-click action behind a confirmation dialog; the server's problem (if any) is shown as a message. */
  const confirmAction = (options: { title: string; content?: string; okText: string; danger?: boolean; run: () => Promise<unknown>; success: string }) => {
    modal.confirm({
      title: options.title,
      content: options.content,
      okText: options.okText,
      okButtonProps: { danger: options.danger },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await options.run();
          void message.success(options.success);
          list.reload();
        } catch (err) {
          void message.error(problem(err));
        }
      },
    });
  };

  const setStatus = async (user: User, status: 'active' | 'disabled') => {
    try {
      await api.updateUser(user.id, { status });
      void message.success(status === 'active' ? t('users.enabled', { name: user.username }) : t('users.disabled', { name: user.username }));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const rowActions = (user: User) => {
    const self = user.id === me.id;
    const manageable = canManageUser(user);
    const items: MenuProps['items'] = [
      { key: 'password', label: user.activated ? t('users.resetPassword') : t('users.activate') },
      ...(user.lockedUntil ? [{ key: 'unlock', label: t('users.unlock') }] : []),
      { key: 'grants', label: self ? t('users.grantsSelf') : t('users.grants'), disabled: self },
      { type: 'divider' },
      user.status === 'active'
        ? { key: 'disable', label: self ? t('users.disableSelf') : t('users.disable'), danger: !self, disabled: self }
        : { key: 'enable', label: t('users.enable') },
    ];
    const onMenu: MenuProps['onClick'] = ({ key }) => {
      if (key === 'password') setDialog({ kind: 'password', user });
      else if (key === 'grants') setDialog({ kind: 'grants', user });
      else if (key === 'unlock') {
        confirmAction({
          title: t('users.unlockConfirm', { name: user.username }),
          content: t('users.unlockHint'),
          okText: t('users.unlock'),
          run: () => api.unlockUser(user.id),
          success: t('users.unlocked', { name: user.username }),
        });
      } else if (key === 'disable') {
        confirmAction({
          title: t('users.disableConfirm', { name: user.username }),
          content: t('users.disableHint'),
          okText: t('users.disable'),
          danger: true,
          run: () => api.updateUser(user.id, { status: 'disabled' }),
          success: t('users.disabled', { name: user.username }),
        });
      } else if (key === 'enable') void setStatus(user, 'active');
    };
    if (!manageable) {
      return (
        <Tooltip title={user.kind === 'citizen' ? t('users.citizenNotManaged') : t('users.notDelegable')}>
          <Typography.Text type="secondary">—</Typography.Text>
        </Tooltip>
      );
    }
    return (
      <Space size={0}>
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit', user })}>
          {t('common.edit')}
        </Button>
        <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']} placement="bottomRight">
          <Button type="link" size="small" data-testid={`user-actions-${user.username}`}>
            {t('common.more')} <DownOutlined />
          </Button>
        </Dropdown>
      </Space>
    );
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username', width: 140, className: 'mono' },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName', width: 130 },
    {
      title: t('users.department'),
      key: 'department',
      width: 220,
      ellipsis: true,
      render: (_: unknown, u: User) => u.department?.name ?? (u.kind === 'citizen' ? t('users.kind.citizen') : '—'),
    },
    { title: t('users.roles'), key: 'grants', render: (_: unknown, u: User) => <GrantTags grants={u.grants} /> },
    { title: t('users.phone'), dataIndex: 'phone', key: 'phone', width: 130, className: 'mono', render: (v: string | null) => v ?? '—' },
    {
      title: t('users.status'),
      dataIndex: 'status',
      key: 'status',
      width: 80,
      render: (s: string, user: User) =>
        user.lockedUntil && s === 'active' ? (
          <Tag color="error">{t('users.status.locked')}</Tag>
        ) : user.activated || s !== 'active' ? (
          <Tag color={s === 'active' ? 'success' : 'default'}>{tx(`users.status.${s}`, s)}</Tag>
        ) : (
          <Tag color="warning">{t('users.status.pending')}</Tag>
        ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      width: 170,
      render: (v: string | null) => (v ? formatDateTime(v) : t('users.neverLoggedIn')),
    },
  ];
  if (canManage) {
    columns.push({ title: t('common.actions'), key: 'actions', width: 150, fixed: 'right', render: (_: unknown, u: User) => rowActions(u) });
  }

  return (
    <div className="page">
      <PageHeader
        title={t('users.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="user-create">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            <Input.Search
              allowClear
              style={{ width: 260 }}
              placeholder={t('users.searchPlaceholder')}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => setQ(v.trim())}
              enterButton={t('common.search')}
            />
            <DepartmentSelect value={departmentId} onChange={setDepartmentId} />
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<User>
          size="small"
          rowKey="id"
          columns={phoneColumns(columns, phone, {
            key: 'displayName',
            title: t('users.displayName'),
            width: 130,
            primary: (u) => u.displayName,
            secondary: (u) => u.username,
            folds: ['username'],
          })}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: phone ? 1120 : canManage ? 1250 : 1100 }}
        />
        <CursorPager list={list} />
      </Card>
      {dialog?.kind === 'create' ? <CreateUserModal onCancel={() => setDialog(null)} onDone={showCreated} /> : null}
      {dialog?.kind === 'edit' ? <EditUserModal user={dialog.user} onCancel={() => setDialog(null)} onDone={closeAndReload} /> : null}
      {dialog?.kind === 'password' ? <SetPasswordModal user={dialog.user} onCancel={() => setDialog(null)} onDone={closeAndReload} /> : null}
      {dialog?.kind === 'grants' ? <GrantsModal user={dialog.user} onClose={() => setDialog(null)} onChanged={list.reload} /> : null}
    </div>
  );
}
