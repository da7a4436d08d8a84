// The public pages, outside the staff shell and without any session: /public (公示), /public/progress (进度查询),
// /bigscreen (LED big screen, 1920×1080) and /citizen/services (the citizen portal's landing). Another module's public
// page (e.g. /public/penalties) adds one line to PUBLIC_PAGES.
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { Result, Spin } from 'antd';
import { useI18n } from '../../context.tsx';
import { LangSwitch } from '../../Layout.tsx';
import { Logo } from '../../Logo.tsx';
import { Link, useLocation } from '../../router.tsx';
import { usePublicText } from './messages.ts';
import { isCitizenApprovalPath } from './paths.ts';
import './publicity.css';

type Page = LazyExoticComponent<ComponentType>;

/** Pages under the public frame (header with links, language switch). */
export const PUBLIC_PAGES: Record<string, Page> = {
  '/public': lazy(() => import('./Disclosure.tsx')),
  '/public/progress': lazy(() => import('./ProgressLookup.tsx')),
};
/** Pages that draw the whole window themselves (their paths listed in paths.ts). */
const BARE_PAGES: Record<string, Page> = {
  '/bigscreen': lazy(() => import('./BigScreen.tsx')),
  '/citizen/services': lazy(() => import('./Services.tsx')),
};
/** /citizen/approval/… (在线申办, 我的办件): their own frame and router. */
const CitizenApproval = lazy(() => import('./apply/CitizenApproval.tsx'));

export default function PublicPortal() {
  const t = usePublicText();
  const { t: app } = useI18n();
  const path = useLocation().pathname.replace(/\/+$/, '') || '/';
  const Bare = isCitizenApprovalPath(path) ? CitizenApproval : BARE_PAGES[path];
  const Page = PUBLIC_PAGES[path];
  useEffect(() => {
    document.title = `${t('pub.portal')} - ${app('app.name')}`;
  }, [t, app]);
  const spin = (
    <div className="full-page-center">
      <Spin size="large" />
    </div>
  );
  if (Bare) return <Suspense fallback={spin}><Bare /></Suspense>;
  return (
    <div className="pub-page">
      <header className="pub-header">
        <Link to="/public" className="pub-brand">
          <Logo size={30} />
          <span>{t('pub.portal')}</span>
        </Link>
        <nav className="pub-nav">
          <Link to="/public">{t('pub.disclosure')}</Link>
          <Link to="/public/progress">{t('pub.progress')}</Link>
          <a href="/public/penalties">{t('pub.penalties')}</a>
          <a href="/citizen/services">{t('pub.services')}</a>
        </nav>
        <LangSwitch dark />
      </header>
      <main className="pub-main">{Page ? <Suspense fallback={spin}><Page /></Suspense> : <Result status="404" title={t('pub.pageNotFound')} />}</main>
      <footer className="pub-footer">{app('app.footer')}</footer>
    </div>
  );
}
