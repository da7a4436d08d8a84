// /citizen/services — the citizen portal's landing, mobile first: apply, my cases, progress lookup (no sign-in),
// rating, complaints, disclosure, account.
import { AuditOutlined, FileSearchOutlined, FormOutlined, LikeOutlined, MessageOutlined, ProfileOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { LangSwitch } from '../../Layout.tsx';
import { Logo } from '../../Logo.tsx';
import { usePublicText } from './messages.ts';
import './publicity.css';

export default function Services() {
  const t = usePublicText();
  const tiles: { href: string; icon: ReactNode; title: string; hint: string }[] = [
    { href: '/citizen/approval', icon: <FormOutlined />, title: t('pub.svc.apply'), hint: t('pub.svc.applyHint') },
    { href: '/citizen/approval/mine', icon: <ProfileOutlined />, title: t('pub.svc.mine'), hint: t('pub.svc.mineHint') },
    { href: '/public/progress', icon: <FileSearchOutlined />, title: t('pub.svc.progress'), hint: t('pub.svc.progressHint') },
    { href: '/citizen/rate', icon: <LikeOutlined />, title: t('pub.svc.rate'), hint: t('pub.svc.rateHint') },
    { href: '/citizen/complaints', icon: <MessageOutlined />, title: t('pub.svc.complain'), hint: t('pub.svc.complainHint') },
    { href: '/public', icon: <AuditOutlined />, title: t('pub.svc.disclosure'), hint: t('pub.svc.disclosureHint') },
  ];
  return (
    <div className="svc-page">
      <header className="svc-header">
        <Logo size={32} />
        <div className="svc-brand">
          <div className="svc-title">{t('pub.svc.title')}</div>
          <div className="svc-sub">{t('pub.svc.subtitle')}</div>
        </div>
        <LangSwitch dark />
      </header>
      <nav className="svc-tiles">
        {tiles.map((tile) => (
          <a key={tile.href} href={tile.href} className="svc-tile">
            <span className="svc-icon">{tile.icon}</span>
            <span className="svc-tile-title">{tile.title}</span>
            <span className="svc-tile-hint">{tile.hint}</span>
          </a>
        ))}
      </nav>
      <a className="svc-account" href="/citizen">
        <UserOutlined /> {t('pub.svc.account')}
      </a>
    </div>
  );
}
