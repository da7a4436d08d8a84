// The citizen portal's approval pages (mobile first): /citizen/approval (事项目录), /citizen/approval/items/:id (事项详情),
// …/items/:id/apply (在线申请), /citizen/approval/mine (我的办件), /citizen/approval/cases/:id (办件详情). Mounted by
// PublicPortal (no staff session); the pages that need the citizen's session ask for it and send them to sign in.
import { lazy, Suspense, useEffect } from 'react';
import { Result, Spin } from 'antd';
import { useI18n } from '../../../context.tsx';
import { useLocation } from '../../../router.tsx';
import { useApplyText } from './messages.ts';
import { Frame } from './parts.tsx';

const Items = lazy(() => import('./Items.tsx'));
const ItemDetail = lazy(() => import('./ItemDetail.tsx'));
const ApplyForm = lazy(() => import('./ApplyForm.tsx'));
const MyCases = lazy(() => import('./MyCases.tsx'));
const CaseDetail = lazy(() => import('./CaseDetail.tsx'));

export default function CitizenApproval() {
  const t = useApplyText();
  const { t: app } = useI18n();
  const path = useLocation().pathname.replace(/\/+$/, '');
  useEffect(() => {
    document.title = `${t('ap.title')} - ${app('app.name')}`;
  }, [t, app]);
  let page;
  let m: RegExpExecArray | null;
  if (path === '/citizen/approval') page = <Items />;
  else if (path === '/citizen/approval/mine') page = <MyCases />;
  else if ((m = /^\/citizen\/approval\/items\/([^/]+)$/.exec(path))) page = <ItemDetail key={m[1]} id={m[1]!} />;
  else if ((m = /^\/citizen\/approval\/items\/([^/]+)\/apply$/.exec(path))) page = <ApplyForm key={m[1]} id={m[1]!} />;
  else if ((m = /^\/citizen\/approval\/cases\/([^/]+)$/.exec(path))) page = <CaseDetail key={m[1]} id={m[1]!} />;
  else
    page = (
      <Frame title={t('ap.title')} back="/citizen/services">
        <Result status="404" title={t('ap.notFound')} />
      </Frame>
    );
  return <Suspense fallback={<Spin className="ap-spin" />}>{page}</Suspense>;
}
