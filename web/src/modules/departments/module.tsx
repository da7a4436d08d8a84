// The departments console module: the list and, nested under it, one department's page.
import { lazy } from 'react';
import { ApartmentOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const departments: ConsoleModule<typeof zh> = {
  name: 'departments',
  messages: { zh, en },
  routes: [
    {
      path: '/departments',
      permission: 'departments.read',
      label: 'nav.departments',
      icon: <ApartmentOutlined />,
      component: lazy(() => import('./DepartmentsPage.tsx')),
      children: [{ path: ':id', permission: 'departments.read', component: lazy(() => import('./DepartmentPage.tsx')) }],
    },
  ],
};

export default departments;
