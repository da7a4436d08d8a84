// The OA console module (万人政务大OA): 收文 with signing, 发文 with the compose page, a document's page with its
// attachments and receipt table, and the archive.
import { lazy } from 'react';
import { ContainerOutlined, InboxOutlined, SendOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/oa/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const DocumentPage = lazy(() => import('./DocumentPage.tsx'));

const oa: ConsoleModule<typeof zh> = {
  name: 'oa',
  messages: { zh, en },
  routes: [
    {
      path: '/oa/received',
      permission: 'oa.read',
      label: 'nav.oa.received',
      group: 'nav.group.community',
      icon: <InboxOutlined />,
      component: lazy(() => import('./ReceivedPage.tsx')),
      children: [{ path: ':id', permission: 'oa.read', component: DocumentPage }],
    },
    {
      path: '/oa/sent',
      permission: 'oa.send',
      label: 'nav.oa.sent',
      group: 'nav.group.community',
      icon: <SendOutlined />,
      component: lazy(() => import('./SentPage.tsx')),
      children: [
        { path: 'new', permission: 'oa.send', component: lazy(() => import('./ComposePage.tsx')) },
        { path: ':id', permission: 'oa.read', component: DocumentPage },
      ],
    },
    {
      path: '/oa/archive',
      permission: 'oa.read',
      label: 'nav.oa.archive',
      group: 'nav.group.community',
      icon: <ContainerOutlined />,
      component: lazy(() => import('./ArchivePage.tsx')),
      children: [{ path: ':id', permission: 'oa.read', component: DocumentPage }],
    },
  ],
};

export default oa;
