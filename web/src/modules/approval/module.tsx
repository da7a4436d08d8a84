// The approval console module (行政审批): the workbench with counter registration, a case's page, the item catalogue.
import { lazy } from 'react';
import { AuditOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/approval/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { editorEn, editorZh } from './editorMessages.ts';
import { en, zh } from './messages.ts';

const approval: ConsoleModule<typeof zh & typeof editorZh> = {
  name: 'approval',
  messages: { zh: { ...zh, ...editorZh }, en: { ...en, ...editorEn } },
  routes: [
    {
      path: '/approval/cases',
      permission: 'approval.read',
      label: 'nav.approval.cases',
      group: 'nav.group.approval',
      icon: <AuditOutlined />,
      component: lazy(() => import('./CasesPage.tsx')),
      children: [{ path: ':id', permission: 'approval.read', component: lazy(() => import('./CasePage.tsx')) }],
    },
    {
      path: '/approval/items',
      permission: 'approval.read',
      label: 'nav.approval.items',
      group: 'nav.group.approval',
      icon: <UnorderedListOutlined />,
      component: lazy(() => import('./ItemsPage.tsx')),
    },
  ],
};

export default approval;
