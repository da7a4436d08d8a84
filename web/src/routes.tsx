// The console's routes, from the modules listed in web/src/modules/index.ts: matching with parameters
// (`/departments/:id`), nesting (a child's path continues its parent's and keeps its menu entry), and the menu.
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Permission } from './api/index.ts';
import type { CoreMessageKey } from './i18n.ts';
import { CONSOLE_MODULES } from './modules/index.ts';

/**
 * A route open to every signed-in user: what it shows is the caller's own (to-do items, messages). A literal, not a
 * constant to import: modules import this file for types only (it imports them to build the route list).
 */
export type SignedIn = 'signed-in';

export interface RouteDef<Label extends string = string> {
  /** '/departments' at the top; a child's is relative to its parent (':id' → '/departments/:id'). */
  path: string;
  /** The permission the page needs; 'signed-in' opens it to every signed-in user (their own to-do list, messages). */
  permission: Permission | SignedIn;
  /** A menu entry (top-level routes only). */
  label?: Label;
  icon?: ReactNode;
  /** A submenu the entry sits in (top-level routes only), e.g. 'nav.group.sharing' (数据共享交换). */
  group?: 'nav.group.sharing' | 'nav.group.community' | 'nav.group.approval' | 'nav.group.supervision' | 'nav.group.cloud' | 'nav.group.extranet';
  component: LazyExoticComponent<ComponentType>;
  children?: readonly RouteDef<Label>[];
}

/** A console module: its folder under web/src/modules/ and one line in web/src/modules/index.ts. */
export interface ConsoleModule<Z extends Record<string, string>> {
  name: string;
  messages: { zh: Z; en: Record<keyof Z, string> };
  routes: readonly RouteDef<(keyof Z & string) | CoreMessageKey>[];
}

export interface RouteMatch {
  route: RouteDef;
  /** The full pattern that matched, e.g. '/departments/:id'. */
  pattern: string;
  params: Record<string, string>;
  /** The top-level route it belongs to (its menu entry). */
  root: RouteDef;
}

export const ROUTES: readonly RouteDef[] = CONSOLE_MODULES.flatMap((m) => m.routes as readonly RouteDef[]);

/** Whether a caller holding the permissions `can` answers for may open the route. */
export function routeAllowed(route: RouteDef, can: (permission: string) => boolean): boolean {
  return route.permission === 'signed-in' || can(route.permission);
}

/** Top-level routes with a menu entry. */
export const MENU: readonly RouteDef[] = ROUTES.filter((r) => r.label !== undefined);

/** Normalises a pathname: no trailing slash (except the root). */
export function normalisePath(pathname: string): string {
  if (pathname.length > 1 && pathname.endsWith('/')) return pathname.replace(/\/+$/, '') || '/';
  return pathname;
}

export function joinPath(parent: string, child: string): string {
  return child.startsWith('/') ? child : `${parent === '/' ? '' : parent}/${child}`;
}

/** The parameters of `pattern` ('/departments/:id') in `pathname`, or null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = normalisePath(pathname).split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    let g: string;
    try {
      g = decodeURIComponent(got[i]!);
    } catch {
      return null;
    }
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return null;
  }
  return params;
}

function search(routes: readonly RouteDef[], base: string, pathname: string, root: RouteDef | null): RouteMatch | undefined {
  for (const route of routes) {
    const pattern = joinPath(base, route.path);
    const params = matchPath(pattern, pathname);
    if (params) return { route, pattern, params, root: root ?? route };
    const child = route.children && search(route.children, pattern, pathname, root ?? route);
    if (child) return child;
  }
  return undefined;
}

export function findRoute(pathname: string, routes: readonly RouteDef[] = ROUTES): RouteMatch | undefined {
  return search(routes, '', normalisePath(pathname), null);
}
