// The console's pages, the permission each one needs and its menu entry.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { ApartmentOutlined, AuditOutlined, DashboardOutlined, EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import type { Permission } from './api/index.ts';
import type { MessageKey } from './i18n.ts';

export interface RouteDef {
  path: string;
  permission: Permission;
  label: MessageKey;
  icon: ReactNode;
  component: LazyExoticComponent<ComponentType>;
}

export const ROUTES: readonly RouteDef[] = [
  {
    path: '/',
    permission: 'dashboard.read',
    label: 'nav.dashboard',
    icon: <DashboardOutlined />,
    component: lazy(() => import('./pages/Dashboard.tsx')),
  },
  {
    path: '/regions',
    permission: 'regions.read',
    label: 'nav.regions',
    icon: <EnvironmentOutlined />,
    component: lazy(() => import('./pages/Regions.tsx')),
  },
  {
    path: '/departments',
    permission: 'departments.read',
    label: 'nav.departments',
    icon: <ApartmentOutlined />,
    component: lazy(() => import('./pages/Departments.tsx')),
  },
  {
    path: '/users',
    permission: 'users.read',
    label: 'nav.users',
    icon: <TeamOutlined />,
    component: lazy(() => import('./pages/Users.tsx')),
  },
  {
    path: '/audit',
    permission: 'audit.read',
    label: 'nav.audit',
    icon: <AuditOutlined />,
    component: lazy(() => import('./pages/Audit.tsx')),
  },
];

/** Normalises a pathname: no trailing slash (except the root). */
export function normalisePath(pathname: string): string {
  if (pathname.length > 1 && pathname.endsWith('/')) return pathname.replace(/\/+$/, '') || '/';
  return pathname;
}

export function findRoute(pathname: string): RouteDef | undefined {
  const path = normalisePath(pathname);
  return ROUTES.find((r) => r.path === path);
}
