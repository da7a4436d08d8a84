// /users — the user list (the shared ListPage) with roles and their jurisdictions; account management where the
// server allows it (create, edit, password/activation, unlock, disable/enable, role grants). `?q=` opens it searched.
import { useState } from 'react';
import { App as AntApp, Button, Dropdown, Space, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { DownOutlined, EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { api, type User } from '../../api/index.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { orDash, UserNameCell } from '../../components/userCells.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { searchParam, useLocation } from '../../router.tsx';
import { CreateUserModal, EditUserModal, GrantsModal, GrantTags, SetPasswordModal, userName } from './UserDialogs.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'grants'; user: User } | null;

export default function UsersPage() {
  const { t, tx, problem } = useI18n();
  const { can } = useAuth();
  const { message, modal } = AntApp.useApp();
  const canCreate = can('users.manage');
  // the actions column is there for whoever may act on accounts; each row's own abilities say which actions it offers
  const canManage = canCreate || can('roles.grant');
  const phone = usePhoneLayout();
  // `/users?q=…` (a to-do item's link) opens the list already searched; a new link while open searches again.
  const fromUrl = (searchParam(useLocation().search, 'q') ?? '').trim();
  const [linked, setLinked] = useState(fromUrl);
  const [input, setInput] = useState(fromUrl);
  const [q, setQ] = useState(fromUrl);
  if (fromUrl !== linked) {
    setLinked(fromUrl);
    setInput(fromUrl);
    setQ(fromUrl);
  }
  const [departmentId, setDepartmentId] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog>(null);

  const query = { q: q || undefined, departmentId };
  const fetchPage: PageFetcher<User> = (cursor, signal, limit) => api.users({ ...query, cursor, limit }, signal);
  const list = useCursorList<User>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const showCreated = (user: User) => {
    setDialog(null);
    const name = userName(user);
    setInput(name);
    setDepartmentId(undefined);
    if (q === name && departmentId === undefined) list.reload();
    else setQ(name);
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
      void message.success(status === 'active' ? t('users.enabled', { name: userName(user) }) : t('users.disabled', { name: userName(user) }));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const rowActions = (user: User) => {
    const able = (ability: User['abilities'][number]) => rowCan(user, ability);
    const items: MenuProps['items'] = [
      ...(able('reset_password') ? [{ key: 'password', label: user.activated ? t('users.resetPassword') : t('users.activate') }] : []),
      ...(able('unlock') ? [{ key: 'unlock', label: t('users.unlock') }] : []),
      ...(able('grant_roles') ? [{ key: 'grants', label: t('users.grants') }] : []),
      ...(able('disable') ? [{ key: 'disable', label: t('users.disable'), danger: true }] : []),
      ...(able('enable') ? [{ key: 'enable', label: t('users.enable') }] : []),
    ];
    const onMenu: MenuProps['onClick'] = ({ key }) => {
      if (key === 'password') setDialog({ kind: 'password', user });
      else if (key === 'grants') setDialog({ kind: 'grants', user });
      else if (key === 'unlock') {
        confirmAction({
          title: t('users.unlockConfirm', { name: userName(user) }),
          content: t('users.unlockHint'),
          okText: t('users.unlock'),
          run: () => api.unlockUser(user.id),
          success: t('users.unlocked', { name: userName(user) }),
        });
      } else if (key === 'disable') {
        confirmAction({
          title: t('users.disableConfirm', { name: userName(user) }),
          content: t('users.disableHint'),
          okText: t('users.disable'),
          danger: true,
          run: () => api.updateUser(user.id, { status: 'disabled' }),
          success: t('users.disabled', { name: userName(user) }),
        });
      } else if (key === 'enable') void setStatus(user, 'active');
    };
    if (!able('update') && items.length === 0) {
      return (
        <Tooltip title={user.kind === 'citizen' ? t('users.citizenNotManaged') : t('users.notDelegable')}>
          <Typography.Text type="secondary">—</Typography.Text>
        </Tooltip>
      );
    }
    return (
      <Space size={0}>
        {able('update') ? (
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit', user })}>
            {t('common.edit')}
          </Button>
        ) : null}
        {items.length > 0 ? (
          <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']} placement="bottomRight">
            <Button type="link" size="small" data-testid={`user-actions-${userName(user)}`}>
              {t('common.more')} <DownOutlined />
            </Button>
          </Dropdown>
        ) : null}
      </Space>
    );
  };

  const statusLabel = (u: User): { text: string; color: string } =>
    u.status === undefined
      ? { text: '—', color: 'default' }
      : u.lockedUntil && u.status === 'active'
      ? { text: t('users.status.locked'), color: 'error' }
      : u.activated || u.status !== 'active'
        ? { text: tx(`users.status.${u.status}`, u.status), color: u.status === 'active' ? 'success' : 'default' }
        : { text: t('users.status.pending'), color: 'warning' };

  const columns: ListColumn<User>[] = [
    { key: 'username', title: t('users.username'), dataIndex: 'username', width: 140, className: 'mono', required: true, sort: (u) => u.username ?? null, render: (u) => <UserNameCell user={u} /> },
    { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName', width: 130, sort: (u) => u.displayName ?? null, render: (u) => orDash(u.displayName) },
    {
      key: 'department',
      title: t('users.department'),
      width: 220,
      ellipsis: true,
      sort: (u) => u.department?.name ?? null,
      render: (u) => u.department?.name ?? (u.kind === 'citizen' ? t('users.kind.citizen') : '—'),
      exportValue: (u) => u.department?.name ?? null,
    },
    {
      key: 'grants',
      title: t('users.roles'),
      render: (u) => <GrantTags grants={u.grants} />,
      exportValue: (u) => (u.grants ?? []).map((g) => `${tx(`role.${g.role}`, g.role)} · ${g.regionName}`).join('; '),
    },
    { key: 'phone', title: t('users.phone'), dataIndex: 'phone', width: 130, className: 'mono', render: (u) => orDash(u.phone) },
    {
      key: 'status',
      title: t('users.status'),
      dataIndex: 'status',
      width: 80,
      sort: (u) => statusLabel(u).text,
      render: (u) => (u.status === undefined ? '—' : <Tag color={statusLabel(u).color}>{statusLabel(u).text}</Tag>),
      exportValue: (u) => statusLabel(u).text,
    },
    {
      key: 'lastLoginAt',
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 170,
      sort: (u) => u.lastLoginAt ?? null,
      render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : u.lastLoginAt === null ? t('users.neverLoggedIn') : '—'),
    },
  ];
  if (canManage) {
    columns.push({ key: 'actions', title: t('common.actions'), width: 150, fixed: 'right', required: true, exportValue: false, render: (u) => rowActions(u) });
  }

  return (
    <div className="page">
      <PageHeader
        title={t('users.title')}
        extra={
          canCreate ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="user-create">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      <ListPage<User>
        id="user"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={phone ? 1120 : canManage ? 1250 : 1100}
        phoneLead={{ key: 'displayName', width: 130, primary: (u) => orDash(u.displayName), secondary: (u) => <UserNameCell user={u} />, folds: ['username'] }}
        filters={
          <>
            <ListSearch value={input} onChange={setInput} onSearch={setQ} placeholder={t('users.searchPlaceholder')} width={260} />
            <DepartmentSelect value={departmentId} onChange={setDepartmentId} />
          </>
        }
      />
      {dialog?.kind === 'create' ? <CreateUserModal onCancel={() => setDialog(null)} onDone={showCreated} /> : null}
      {dialog?.kind === 'edit' ? <EditUserModal user={dialog.user} onCancel={() => setDialog(null)} onDone={closeAndReload} /> : null}
      {dialog?.kind === 'password' ? <SetPasswordModal user={dialog.user} onCancel={() => setDialog(null)} onDone={closeAndReload} /> : null}
      {dialog?.kind === 'grants' ? <GrantsModal user={dialog.user} onClose={() => setDialog(null)} onChanged={list.reload} /> : null}
    </div>
  );
}
