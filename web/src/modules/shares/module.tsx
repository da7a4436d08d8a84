// The share-grants console module (D41): the grants of departments in the caller's jurisdiction, revoked where the
// row's abilities allow it. For the security administrator (shares.manage).
import { lazy } from 'react';
import { ShareAltOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const shares: ConsoleModule<typeof zh> = {
  name: 'shares',
  messages: { zh, en },
  routes: [{ path: '/shares', permission: 'shares.manage', label: 'nav.shares', icon: <ShareAltOutlined />, component: lazy(() => import('./SharesPage.tsx')) }],
};

export default shares;
