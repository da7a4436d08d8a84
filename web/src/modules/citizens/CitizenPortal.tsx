// /citizen — the citizen portal: sign in (password or SMS code) or register, then one's own record. Works at 390 px.
import { lazy, Suspense, useEffect, useState } from 'react';
import { Spin, Tabs, Typography } from 'antd';
import { isApiError } from '../../api/index.ts';
import { useI18n } from '../../context.tsx';
import { LangSwitch } from '../../Layout.tsx';
import { navigate, safeRedirect, searchParam } from '../../router.tsx';
import { Logo } from '../../Logo.tsx';
import { citizenApi, type CitizenProfile } from './api.ts';
import { usePortalText } from './messages.ts';
import { Profile } from './Profile.tsx';
import { Register } from './Register.tsx';
import { CodeSignIn, PasswordSignIn } from './SignIn.tsx';
import './citizens.css';

/** 我的数据被谁用了 (the tracker module's page for the citizen). */
const CitizenDataUses = lazy(() => import('../tracker/CitizenDataUses.tsx'));

/** Where a page of the portal sent the citizen to sign in from (?next=/citizen/…): back there once signed in. */
function returnTo(): string | null {
  const next = safeRedirect(searchParam(window.location.search, 'next'));
  return next.startsWith('/citizen/') ? next : null;
}

type PortalState = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; profile: CitizenProfile };

export default function CitizenPortal() {
  const { t } = useI18n();
  const { p } = usePortalText();
  const [state, setState] = useState<PortalState>({ status: 'loading' });

  useEffect(() => {
    document.title = `${p('portal.title')} - ${t('app.name')}`;
  }, [p, t]);

  useEffect(() => {
    const controller = new AbortController();
    citizenApi
      .me(controller.signal)
      .then((profile) => {
        const next = returnTo();
        if (next) navigate(next, { replace: true });
        else setState({ status: 'signed-in', profile });
      })
      .catch((err: unknown) => {
        if (!(err instanceof DOMException && err.name === 'AbortError')) setState({ status: 'anonymous' });
        if (isApiError(err) && err.status >= 500) console.error(err);
      });
    return () => controller.abort();
  }, []);

  const signedIn = (profile: CitizenProfile) => {
    const next = returnTo();
    if (next) navigate(next, { replace: true });
    else setState({ status: 'signed-in', profile });
  };

  return (
    <div className="login-page citizen-portal">
      <div className="login-topbar">
        <LangSwitch dark />
      </div>
      <div className="citizen-body">
        <div className="citizen-brand">
          <Logo size={40} />
          <div>
            <div className="citizen-brand-name">{p('portal.title')}</div>
            <div className="citizen-brand-sub">{p('portal.subtitle')}</div>
          </div>
        </div>
        <div className="login-card citizen-card">
          {state.status === 'loading' ? (
            <div className="full-page-center citizen-spin">
              <Spin />
            </div>
          ) : state.status === 'signed-in' ? (
            <>
              <div className="citizen-links" data-testid="citizen-links">
                <a href="/citizen/approval/mine">{p('portal.myCases')}</a>
                <a href="/citizen/approval">{p('portal.services')}</a>
              </div>
              {/* its own key: the signed-out tabs sit at the same place and their active tab must not carry over */}
              <Tabs
                key="signed-in"
                destroyOnHidden
                items={[
                  { key: 'me', label: p('portal.me'), children: <Profile profile={state.profile} onChanged={(profile) => setState({ status: 'signed-in', profile })} onSignedOut={() => setState({ status: 'anonymous' })} /> },
                  {
                    key: 'data-uses',
                    label: t('tracker.my.title'),
                    children: (
                      <Suspense fallback={<Spin />}>
                        <CitizenDataUses />
                      </Suspense>
                    ),
                  },
                ]}
              />
            </>
          ) : (
            <>
              <Typography.Title level={4} className="login-title">
                {p('portal.title')}
              </Typography.Title>
              <Tabs
                destroyOnHidden
                items={[
                  { key: 'password', label: p('portal.tabPassword'), children: <PasswordSignIn onSignedIn={signedIn} /> },
                  { key: 'code', label: p('portal.tabCode'), children: <CodeSignIn onSignedIn={signedIn} /> },
                  { key: 'register', label: p('portal.tabRegister'), children: <Register onRegistered={signedIn} /> },
                ]}
              />
              <a className="citizen-staff-link" href="/login">
                {p('portal.staffLink')}
              </a>
            </>
          )}
        </div>
      </div>
      <div className="login-footer">{t('app.footer')}</div>
    </div>
  );
}
