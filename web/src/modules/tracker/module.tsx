// The tracker console module: the auditors' data-use lookup and the covert-grant register (the citizen's own page
// is in the portal: CitizenDataUses).
import { lazy } from 'react';
import { EyeInvisibleOutlined, FileSearchOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/tracker/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const tracker: ConsoleModule<typeof zh> = {
  name: 'tracker',
  messages: { zh, en },
  routes: [
    { path: '/data-uses', permission: 'tracker.read', label: 'nav.dataUses', group: 'nav.group.sharing', icon: <FileSearchOutlined />, component: lazy(() => import('./DataUsesPage.tsx')) },
    { path: '/covert-grants', permission: 'tracker.covert', label: 'nav.covertGrants', group: 'nav.group.sharing', icon: <EyeInvisibleOutlined />, component: lazy(() => import('./CovertGrantsPage.tsx')) },
  ],
};

export default tracker;
