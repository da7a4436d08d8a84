// /sms — the SMS service: sending history with counts per status, templates, the opt-out register, and (demo only)
// what each number received at the built-in SMS centre.
import { Tabs } from 'antd';
import { useAuth } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { History } from './History.tsx';
import { Inbox } from './Inbox.tsx';
import { OptOuts } from './OptOuts.tsx';
import { Templates } from './Templates.tsx';
import { useSmsT } from './useSmsT.ts';

export default function SmsPage() {
  const t = useSmsT();
  const { can } = useAuth();
  const manage = can('sms.manage');
  return (
    <div data-testid="sms-page">
      <PageHeader title={t('title')} />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'history', label: t('tab.history'), children: <History canSend={can('sms.send')} /> },
          { key: 'templates', label: t('tab.templates'), children: <Templates canManage={manage} /> },
          { key: 'opt-outs', label: t('tab.optOuts'), children: <OptOuts canManage={manage} /> },
          { key: 'inbox', label: t('tab.inbox'), children: <Inbox /> },
        ]}
      />
    </div>
  );
}
