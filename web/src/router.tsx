// A minimal client-side router on top of the History API (react-router is not a dependency).
import { createContext, useContext, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const NAVIGATE_EVENT = 'govcloud:navigate';

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(NAVIGATE_EVENT, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(NAVIGATE_EVENT, callback);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  pathname: string;
  search: string;
  /** pathname + search */
  href: string;
}

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '', href } : { pathname: href.slice(0, q), search: href.slice(q), href };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function searchParam(search: string, name: string): string | null {
  return new URLSearchParams(search).get(name);
}

/** A same-origin path that is safe to redirect to after login (no protocol-relative or absolute URLs). */
export function safeRedirect(target: string | null): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  if (target.startsWith('/login')) return '/';
  return target;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children?: ReactNode };

/** An <a> that navigates client-side on plain left clicks and behaves natively otherwise (new tab etc.). */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

const ParamsContext = createContext<Record<string, string>>({});

/** Provides the matched route's parameters to the page (App does this for the current route). */
export const ParamsProvider = ParamsContext.Provider;

/** The current route's parameters, e.g. `{ id }` on `/departments/:id`. */
export function useParams<K extends string = string>(): Partial<Record<K, string>> {
  return useContext(ParamsContext) as Partial<Record<K, string>>;
}
