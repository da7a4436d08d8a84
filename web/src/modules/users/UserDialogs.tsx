// The user dialogs (create, edit, password/activation, role grants) and the grant tags, used by the users page.
import { useState } from 'react';
import { App as AntApp, Alert, Button, Col, Form, Input, Modal, Popconfirm, Row, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ROLES, type Grant, type NewGrant, type Role, type User, type UserPatch } from '../../api/index.ts';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { applyProblem, checkRule, FormModal, requiredRule } from '../../components/FormModal.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n, useMe } from '../../context.tsx';
import { checkEmail, checkPassword, checkPhone, checkPlainText, checkUsername } from '../../validation.ts';

const ROLE_COLORS: Record<string, string> = {
  platform_admin: 'red',
  security_admin: 'orange',
  audit_admin: 'geekblue',
  department_admin: 'volcano',
  department_staff: 'blue',
  community_worker: 'cyan',
  supervisor: 'purple',
  auditor: 'magenta',
  leader: 'gold',
};

/** The role a new grant row starts with: the everyday one where the user may grant it (a convenience, not a rule). */
const firstChoice = (roles: readonly Role[]): Role | undefined => (roles.includes('department_staff') ? 'department_staff' : roles[0]);

/** A user's name for titles and messages: a shared row may lack the user name. */
export const userName = (user: User): string => user.username ?? user.displayName ?? user.id;

export function GrantTags({ grants }: { grants: Grant[] | undefined }) {
  const { tx } = useI18n();
  if (!grants || grants.length === 0) return <span>—</span>;
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

/** `departmentId` presets the department (adding a person from a department's page). */
export function CreateUserModal({ departmentId, onCancel, onDone }: { departmentId?: string; onCancel: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  // the server says which roles this user may hand out; creating with roles needs roles.grant too (D41)
  const roles = useMe().grantableRoles;

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
      initialValues={{ departmentId, grants: roles.length > 0 ? [{ role: firstChoice(roles) }] : [] }}
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={(u) => (u.activated ? t('users.created', { name: userName(u) }) : t('users.createdInactive', { name: userName(u) }))}
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
          {roles.length > 0 ? <Typography.Text strong>{t('users.initialGrants')}</Typography.Text> : null}
          {roles.length > 0 ? <Form.List name="grants">
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
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: firstChoice(roles) })}>
                    {t('users.addGrant')}
                  </Button>
                ) : null}
              </div>
            )}
          </Form.List> : null}
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

export function EditUserModal({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: (user: User) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();

  const submit = async (v: EditUserValues): Promise<User> => {
    const patch: UserPatch = {};
    const displayName = v.displayName.trim();
    if (displayName !== (user.displayName ?? '')) patch.displayName = displayName;
    if (v.phone?.trim()) patch.phone = v.phone.trim();
    if (v.email?.trim()) patch.email = v.email.trim();
    if (Object.keys(patch).length === 0) {
      void message.info(t('common.noChanges'));
      return user;
    }
    const updated = await api.updateUser(user.id, patch);
    void message.success(t('users.saved', { name: userName(updated) }));
    return updated;
  };

  return (
    <FormModal<EditUserValues, User>
      testId="user-edit-form"
      title={t('users.editTitle', { name: userName(user) })}
      initialValues={{ displayName: user.displayName ?? '' }}
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

export function SetPasswordModal({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal<{ password: string; confirm: string }, void>
      testId="user-password-form"
      title={user.activated ? t('users.resetPasswordTitle', { name: userName(user) }) : t('users.activateTitle', { name: userName(user) })}
      okText={user.activated ? t('users.resetPassword') : t('users.activate')}
      onSubmit={(v) => api.setUserPassword(user.id, v.password)}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={user.activated ? t('users.passwordReset', { name: userName(user) }) : t('users.activated', { name: userName(user) })}
      intro={<Alert type={user.activated ? 'warning' : 'info'} showIcon className="modal-intro" title={user.activated ? t('users.resetHint') : t('users.activateHint')} />}
    >
      <PasswordFields username={user.username} required label={t('users.newPassword')} />
    </FormModal>
  );
}

// ---------------------------------------------------------------------------------------------
// 角色授权

export function GrantsModal({ user: initial, onClose, onChanged }: { user: User; onClose: () => void; onChanged: () => void }) {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const roles = useMe().grantableRoles;
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

  const withdrawable = (g: Grant) => roles.includes(g.role);
  const grants = user.grants ?? [];

  return (
    <Modal
      open
      title={t('users.grantsTitle', { name: `${user.displayName ?? '—'}（${userName(user)}）` })}
      onCancel={onClose}
      width={640}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      destroyOnHidden
    >
      <div data-testid="user-grants">
        {error ? <ErrorAlert error={error} message={problem(error)} /> : null}
        <Typography.Text strong>{t('users.currentGrants')}</Typography.Text>
        {grants.length === 0 ? (
          <Typography.Paragraph type="secondary" className="grant-empty">
            {t('users.noGrants')}
          </Typography.Paragraph>
        ) : (
          <Table<Grant>
            size="small"
            className="grant-table"
            rowKey={(g) => `${g.role}@${g.regionCode}`}
            pagination={false}
            dataSource={grants}
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
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} className="grant-add-form" disabled={adding} initialValues={{ role: firstChoice(roles) }}>
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
          {roles.length === ROLES.length ? t('users.grantHintAdmin') : t('users.grantHintDelegate')}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}

