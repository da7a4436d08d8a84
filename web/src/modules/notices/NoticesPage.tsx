// /notices — 定向通知: the history, the composer (with live preview) and the templates, by tab.
import { Tabs } from 'antd';
import { useAuth } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Composer } from './Composer.tsx';
import { History } from './History.tsx';
import { Templates } from './Templates.tsx';
import { useNoticesT } from './useNoticesT.ts';

export default function NoticesPage() {
  const t = useNoticesT();
  const { can } = useAuth();
  const canSend = can('notices.send');
  return (
    <div data-testid="notices-page">
      <PageHeader title={t('title')} />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'history', label: t('tab.history'), children: <History /> },
          ...(canSend ? [{ key: 'compose', label: t('tab.compose'), children: <Composer /> }] : []),
          { key: 'templates', label: t('tab.templates'), children: <Templates canSend={canSend} /> },
        ]}
      />
    </div>
  );
}
