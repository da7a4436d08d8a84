// Root component: providers, theme, and the auth-aware top-level routing.
import { Suspense, lazy, useEffect } from 'react';
import { App as AntApp, Button, ConfigProvider, Result, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { AuthProvider, I18nProvider, useAuth, useI18n } from './context.tsx';
import { AppLayout } from './Layout.tsx';
import LoginPage from './pages/Login.tsx';
import { navigate, ParamsProvider, safeRedirect, searchParam, useLocation } from './router.tsx';
import { MENU, findRoute, normalisePath, routeAllowed } from './routes.tsx';
import { isPublicPath } from './modules/publicity/paths.ts';

const BRAND_BLUE = '#1456b8';
/** The citizen portal lives outside the staff shell: its own session, no staff menu. */
const CitizenPortal = lazy(() => import('./modules/citizens/CitizenPortal.tsx'));
/** 好差评 and 投诉 of the citizen (the evaluation module's portal pages). */
const CitizenEvaluation = lazy(() => import('./modules/evaluation/CitizenEvaluation.tsx'));
const CITIZEN_EVALUATION = /^\/citizen\/(rate\/[^/]+|complaints)\/?$/;
/** Public pages (公示, 进度查询, the LED big screen, the citizen landing): no session at all, never the sign-in redirect. */
const PublicPortal = lazy(() => import('./modules/publicity/PublicPortal.tsx'));
/** 行政处罚公示 (the matters module's public page): no session at all. */
const PublicPenalties = lazy(() => import('./modules/matters/PublicPenalties.tsx'));

function ThemedApp() {
  const { lang } = useI18n();
  const { pathname } = useLocation();
  const publicPenalties = /^\/public\/penalties\/?$/.test(pathname);
  const publicPage = !publicPenalties && isPublicPath(pathname);
  const citizen = !publicPenalties && !publicPage && /^\/citizen(\/|$)/.test(pathname);
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: BRAND_BLUE,
          colorInfo: BRAND_BLUE,
          borderRadius: 4,
          fontFamily:
            '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif',
        },
        components: {
          Layout: { headerBg: '#0a2a5e', headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff', bodyBg: '#f0f2f5' },
          Table: { headerBg: '#f3f6fb', cellPaddingBlockSM: 6 },
          Menu: { itemBorderRadius: 4, itemMarginInline: 6 },
          Card: { headerFontSize: 15 },
        },
      }}
    >
      <AntApp>
        {publicPenalties ? (
          <Suspense fallback={<FullPageSpin />}>
            <PublicPenalties />
          </Suspense>
        ) : publicPage ? (
          <Suspense fallback={<FullPageSpin />}>
            <PublicPortal />
          </Suspense>
        ) : citizen ? (
          <Suspense fallback={<FullPageSpin />}>
            {CITIZEN_EVALUATION.test(pathname) ? <CitizenEvaluation /> : <CitizenPortal />}
          </Suspense>
        ) : (
          <AuthProvider>
            <Shell />
          </AuthProvider>
        )}
      </AntApp>
    </ConfigProvider>
  );
}

function FullPageSpin() {
  const { t } = useI18n();
  return (
    <div className="full-page-center">
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}

function Shell() {
  const { state, can } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  const path = normalisePath(location.pathname);
  const onLogin = path === '/login';

  useEffect(() => {
    if (state.status === 'anonymous' && !onLogin) {
      const next = location.href === '/' ? '' : `?next=${encodeURIComponent(location.href)}`;
      navigate(`/login${next}`, { replace: true });
    } else if (state.status === 'authenticated' && onLogin) {
      navigate(safeRedirect(searchParam(location.search, 'next')), { replace: true });
    }
  }, [state.status, onLogin, location.href, location.search]);

  if (state.status === 'loading') return <FullPageSpin />;
  if (onLogin) return state.status === 'anonymous' ? <LoginPage expired={state.expired} /> : <FullPageSpin />;
  if (state.status !== 'authenticated') return <FullPageSpin />;

  const allowed = MENU.filter((r) => routeAllowed(r, can));
  const match = findRoute(path);
  let content;
  if (allowed.length === 0) {
    content = <Result status="403" title={t('nav.noAccess')} subTitle={t('nav.noAccessHint')} />;
  } else if (!match) {
    content = (
      <Result
        status="404"
        title={t('nav.notFound')}
        subTitle={t('nav.notFoundHint')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('nav.backHome')}
          </Button>
        }
      />
    );
  } else if (!routeAllowed(match.route, can) || !routeAllowed(match.root, can)) {
    if (match.pattern === '/') {
      // No dashboard for this account: open the first page it may see instead.
      return <RedirectTo to={allowed[0]!.path} />;
    }
    content = <Result status="403" title={t('nav.forbidden')} subTitle={t('nav.forbiddenHint')} />;
  } else {
    const Page = match.route.component;
    content = (
      <ParamsProvider value={match.params}>
        <Suspense fallback={<div className="page-spin"><Spin /></div>}>
          <Page key={match.pattern} />
        </Suspense>
      </ParamsProvider>
    );
  }
  return <AppLayout routes={allowed} activePath={match?.root.path ?? null}>{content}</AppLayout>;
}

function RedirectTo({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <FullPageSpin />;
}

export default function App() {
  return (
    <I18nProvider>
      <ThemedApp />
    </I18nProvider>
  );
}
