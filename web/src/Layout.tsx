// The signed-in frame: dark blue header, permission-driven side menu, content area. On a phone (< 768 px) the side
// menu moves into a drawer opened from the header, and the header keeps only the menu button, the brand and the
// account button (language and sign-out move into the account menu).
import { useEffect, useState, type ReactNode } from 'react';
import { App as AntApp, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Segmented, Space, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { ApartmentOutlined, DownOutlined, GlobalOutlined, KeyOutlined, LockOutlined, LogoutOutlined, MenuOutlined, ShareAltOutlined, UserOutlined } from '@ant-design/icons';
import { ChangePasswordModal, TokensDrawer } from './components/AccountDialogs.tsx';
import { SharedWithMeDrawer } from './components/SharedWithMe.tsx';
import { useAuth, useI18n, useMe } from './context.tsx';
import type { Lang } from './i18n.ts';
import { Logo } from './Logo.tsx';
import { CoverageBanner } from './modules/calendar/CoverageBanner.tsx';
import { HeaderBadges } from './modules/inbox/HeaderBadges.tsx';
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

/** True below antd's md breakpoint (768 px): phones and narrow windows. */
export function usePhoneLayout(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a wide screen, as the first paint did.
  return screens.md === false;
}

function NavMenu({ routes, activePath, onNavigate }: { routes: readonly RouteDef[]; activePath: string | null; onNavigate: (path: string) => void }) {
  const { tx } = useI18n();
  const entry = (r: RouteDef) => ({
    key: r.path,
    icon: r.icon,
    label: (
      <a href={r.path} onClick={(e) => e.preventDefault()}>
        {tx(r.label ?? r.path, r.path)}
      </a>
    ),
  });
  // entries of one group form a submenu placed where its first entry stands
  type Item = ReturnType<typeof entry> | { key: string; label: string; children: ReturnType<typeof entry>[] };
  const items: Item[] = [];
  const groups = new Map<string, ReturnType<typeof entry>[]>();
  for (const r of routes) {
    if (!r.group) {
      items.push(entry(r));
      continue;
    }
    let children = groups.get(r.group);
    if (!children) {
      children = [];
      groups.set(r.group, children);
      items.push({ key: r.group, label: tx(r.group, r.group), children });
    }
    children.push(entry(r));
  }
  const open = routes.find((r) => r.path === activePath)?.group;
  return (
    <Menu
      mode="inline"
      selectedKeys={activePath ? [activePath] : []}
      defaultOpenKeys={open ? [open] : []}
      items={items}
      onClick={({ key }) => onNavigate(key)}
    />
  );
}

export function AppLayout({ routes, activePath, children }: { routes: readonly RouteDef[]; activePath: string | null; children: ReactNode }) {
  const { t, tx, lang, setLang } = useI18n();
  const phone = usePhoneLayout();
  const [navOpen, setNavOpen] = useState(false);
  const { logout } = useAuth();
  const { message } = AntApp.useApp();
  const me = useMe();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const [accountDialog, setAccountDialog] = useState<'password' | 'tokens' | 'shares' | null>(null);

  const userMenu: MenuProps = {
    items: [
      ...(phone
        ? [
            { key: 'who', disabled: true, label: <span className="app-user-menu-who">{me.department?.name ?? t('header.noDepartment')}</span> },
            { type: 'divider' as const },
          ]
        : []),
      { key: 'password', icon: <LockOutlined />, label: t('account.changePassword') },
      { key: 'tokens', icon: <KeyOutlined />, label: t('tokens.title') },
      ...(me.shares.length > 0 ? [{ key: 'shares', icon: <ShareAltOutlined />, label: <span data-testid="menu-shared-with-me">{t('sharedWithMe.menu', { n: me.shares.length })}</span> }] : []),
      ...(phone
        ? [
            { key: 'lang', icon: <GlobalOutlined />, label: lang === 'zh-CN' ? t('lang.en') : t('lang.zh') },
            { type: 'divider' as const },
            { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
          ]
        : []),
    ],
    onClick: ({ key }) => {
      if (key === 'lang') setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN');
      else if (key === 'logout') void onLogout();
      else if (key === 'password' || key === 'tokens' || key === 'shares') setAccountDialog(key);
    },
  };

  const go = (path: string) => {
    setNavOpen(false);
    navigate(path);
  };

  const active = routes.find((r) => r.path === activePath);
  useEffect(() => {
    document.title = active?.label ? `${tx(active.label, active.path)} - ${t('app.name')}` : t('app.name');
  }, [active, t, tx]);

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
      <Header className={phone ? 'app-header app-header-phone' : 'app-header'}>
        {phone ? (
          <Button type="text" className="app-nav-toggle" icon={<MenuOutlined />} onClick={() => setNavOpen(true)} aria-label={t('header.menu')} data-testid="nav-toggle" />
        ) : null}
        <div className="app-brand" onClick={() => navigate('/')} role="link" tabIndex={0}>
          <Logo size={phone ? 26 : 30} />
          <div className="app-brand-text">
            <span className="app-brand-name">{t('app.name')}</span>
            <span className="app-brand-sub">{t('app.console')}</span>
          </div>
        </div>
        <div className="app-header-right">
          <Space size={phone ? 4 : 16} align="center">
            <HeaderBadges />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Space size={8} className="app-user" data-testid="current-user" role="button" tabIndex={0} aria-label={t('header.userMenu')}>
                <Avatar size="small" icon={<UserOutlined />} className="app-user-avatar" />
                <span className="app-user-name">{me.displayName}</span>
                {phone ? null : (
                  <Tooltip title={me.department?.code}>
                    <span className="app-user-dept">
                      <ApartmentOutlined /> {me.department?.name ?? t('header.noDepartment')}
                    </span>
                  </Tooltip>
                )}
                <DownOutlined className="app-user-caret" />
              </Space>
            </Dropdown>
            {phone ? null : (
              <>
                <LangSwitch dark />
                <Button size="small" ghost icon={<LogoutOutlined />} loading={loggingOut} onClick={() => void onLogout()}>
                  {t('header.logout')}
                </Button>
              </>
            )}
          </Space>
        </div>
      </Header>
      <Layout>
        {phone ? (
          <Drawer
            open={navOpen}
            onClose={() => setNavOpen(false)}
            placement="left"
            size={240}
            title={t('app.name')}
            className="app-nav-drawer"
            styles={{ body: { padding: 0 } }}
          >
            <div data-testid="nav-drawer">
              <NavMenu routes={routes} activePath={activePath} onNavigate={go} />
            </div>
          </Drawer>
        ) : (
          <Sider width={200} collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="light" className="app-sider" breakpoint="lg">
            <NavMenu routes={routes} activePath={activePath} onNavigate={go} />
          </Sider>
        )}
        <Layout className="app-main">
          <Content className="app-content">
            <CoverageBanner />
            {children}
          </Content>
          <Footer className="app-footer">
            <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
      {accountDialog === 'password' ? <ChangePasswordModal onClose={() => setAccountDialog(null)} /> : null}
      <TokensDrawer open={accountDialog === 'tokens'} onClose={() => setAccountDialog(null)} />
      <SharedWithMeDrawer open={accountDialog === 'shares'} onClose={() => setAccountDialog(null)} />
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
