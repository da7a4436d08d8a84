// The signed-in frame: dark blue header, permission-driven side menu, content area.
import { useEffect, useState, type ReactNode } from 'react';
import { App as AntApp, Avatar, Button, Dropdown, Layout, Menu, Segmented, Space, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { ApartmentOutlined, DownOutlined, KeyOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { ChangePasswordModal, TokensDrawer } from './components/AccountDialogs.tsx';
import { useAuth, useI18n, useMe } from './context.tsx';
import type { Lang } from './i18n.ts';
import { Logo } from './Logo.tsx';
import { navigate } from './router.tsx';
import type { RouteDef } from './routes.tsx';

const { Header, Sider, Content, Footer } = Layout;

export function LangSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'}
      aria-label={t('lang.switch')}
      value={lang}
      onChange={setLang}
      options={[
        { label: t('lang.zh'), value: 'zh-CN' },
        { label: t('lang.en'), value: 'en-US' },
      ]}
    />
  );
}

export function AppLayout({ routes, activePath, children }: { routes: readonly RouteDef[]; activePath: string | null; children: ReactNode }) {
  const { t } = useI18n();
  const { logout } = useAuth();
  const { message } = AntApp.useApp();
  const me = useMe();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const [accountDialog, setAccountDialog] = useState<'password' | 'tokens' | null>(null);

  const userMenu: MenuProps = {
    items: [
      { key: 'password', icon: <LockOutlined />, label: t('account.changePassword') },
      { key: 'tokens', icon: <KeyOutlined />, label: t('tokens.title') },
    ],
    onClick: ({ key }) => setAccountDialog(key === 'password' ? 'password' : 'tokens'),
  };

  const active = routes.find((r) => r.path === activePath);
  useEffect(() => {
    document.title = active ? `${t(active.label)} - ${t('app.name')}` : t('app.name');
  }, [active, t]);

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
      void message.success(t('header.loggedOut'));
    } catch {
      // The session is cleared locally even when the request fails.
    } finally {
      setLoggingOut(false);
    }
  };

  return (
    <Layout className="app-layout">
      <Header className="app-header">
        <div className="app-brand" onClick={() => navigate('/')} role="link" tabIndex={0}>
          <Logo size={30} />
          <div className="app-brand-text">
            <span className="app-brand-name">{t('app.name')}</span>
            <span className="app-brand-sub">{t('app.console')}</span>
          </div>
        </div>
        <div className="app-header-right">
          <Space size={16} align="center">
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Space size={8} className="app-user" data-testid="current-user" role="button" tabIndex={0} aria-label={t('header.userMenu')}>
                <Avatar size="small" icon={<UserOutlined />} className="app-user-avatar" />
                <span className="app-user-name">{me.displayName}</span>
                <Tooltip title={me.department?.code}>
                  <span className="app-user-dept">
                    <ApartmentOutlined /> {me.department?.name ?? t('header.noDepartment')}
                  </span>
                </Tooltip>
                <DownOutlined className="app-user-caret" />
              </Space>
            </Dropdown>
            <LangSwitch dark />
            <Button size="small" ghost icon={<LogoutOutlined />} loading={loggingOut} onClick={() => void onLogout()}>
              {t('header.logout')}
            </Button>
          </Space>
        </div>
      </Header>
      <Layout>
        <Sider width={200} collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="light" className="app-sider" breakpoint="lg">
          <Menu
            mode="inline"
            selectedKeys={activePath ? [activePath] : []}
            items={routes.map((r) => ({
              key: r.path,
              icon: r.icon,
              label: (
                <a href={r.path} onClick={(e) => e.preventDefault()}>
                  {t(r.label)}
                </a>
              ),
            }))}
            onClick={({ key }) => navigate(key)}
          />
        </Sider>
        <Layout className="app-main">
          <Content className="app-content">{children}</Content>
          <Footer className="app-footer">
            <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
      {accountDialog === 'password' ? <ChangePasswordModal onClose={() => setAccountDialog(null)} /> : null}
      <TokensDrawer open={accountDialog === 'tokens'} onClose={() => setAccountDialog(null)} />
    </Layout>
  );
}

/** The page heading row used by every page. */
export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <Typography.Title level={4} className="page-title">
        {title}
      </Typography.Title>
      {extra ? <div className="page-header-extra">{extra}</div> : null}
    </div>
  );
}
