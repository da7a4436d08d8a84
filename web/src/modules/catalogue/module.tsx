// The catalogue console module (政务信息资源目录): the browser, a resource's page, the editor and the demand list,
// in the 数据共享交换 submenu.
import { lazy } from 'react';
import { BookOutlined, BulbOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/catalogue/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const catalogue: ConsoleModule<typeof zh> = {
  name: 'catalogue',
  messages: { zh, en },
  routes: [
    {
      path: '/catalogue',
      permission: 'catalogue.read',
      label: 'nav.catalogue',
      icon: <BookOutlined />,
      group: 'nav.group.sharing',
      component: lazy(() => import('./CataloguePage.tsx')),
      children: [
        { path: 'new', permission: 'catalogue.manage', component: lazy(() => import('./EditorPage.tsx')) },
        { path: ':code/edit', permission: 'catalogue.manage', component: lazy(() => import('./EditorPage.tsx')) },
        { path: ':code', permission: 'catalogue.read', component: lazy(() => import('./ResourcePage.tsx')) },
      ],
    },
    { path: '/data-demands', permission: 'catalogue.read', label: 'nav.demands', icon: <BulbOutlined />, group: 'nav.group.sharing', component: lazy(() => import('./DemandsPage.tsx')) },
  ],
};

export default catalogue;
