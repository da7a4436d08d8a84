// The supervised-matters console module (监察事项, in 电子监察): the supervisors' view by region and the owning
// departments' own, one page with a tab per kind and the warnings. The public penalty page is PublicPenalties.tsx.
import { lazy } from 'react';
import { AuditOutlined, FileProtectOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/matters/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const MattersPage = lazy(() => import('./MattersPage.tsx'));

const matters: ConsoleModule<typeof zh> = {
  name: 'matters',
  messages: { zh, en },
  routes: [
    { path: '/matters', permission: 'matters.read', label: 'nav.matters', icon: <AuditOutlined />, group: 'nav.group.supervision', component: MattersPage },
    // the owning department's staff hold matters.manage only (their department tree): the same page, their entry
    { path: '/matters/mine', permission: 'matters.manage', label: 'nav.matters.mine', icon: <FileProtectOutlined />, group: 'nav.group.supervision', component: MattersPage },
  ],
};

export default matters;
