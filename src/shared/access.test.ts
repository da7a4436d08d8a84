import { describe, expect, it } from 'vitest';
import { minimalPaths, requireScope, scopeCovers, type Actor } from './access.ts';
import { DomainError } from './errors.ts';

const actor = (grants: Actor['grants'], tokenScopes?: Actor['tokenScopes']): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  kind: 'staff',
  departmentId: null,
  grants,
  via: tokenScopes ? 'token' : 'session',
  tokenScopes,
});

describe('jurisdiction scopes', () => {
  it('collapses nested paths to their roots', () => {
    expect(minimalPaths(['/6505/650502/', '/6505/', '/6501/650102/', '/6501/650102/'])).toEqual(['/6501/650102/', '/6505/']);
  });

  it('unions the regions of grants that confer the permission, ignoring the rest', () => {
    const a = actor([
      { role: 'community_worker', regionCode: '650502001001', regionPath: '/6505/650502/650502001/650502001001/' },
      { role: 'auditor', regionCode: '650521', regionPath: '/6505/650521/' },
    ]);
    expect(requireScope(a, 'dashboard.read').paths).toEqual(['/6505/650502/650502001/650502001001/', '/6505/650521/']);
    expect(requireScope(a, 'audit.read').paths).toEqual(['/6505/650521/']);
    expect(() => requireScope(a, 'users.manage')).toThrow(DomainError);
  });

  it('covers a region only inside a granted subtree', () => {
    const scope = { permission: 'regions.read' as const, paths: ['/6505/650502/'], departments: [], shares: [] };
    expect(scopeCovers(scope, '/6505/650502/650502001/')).toBe(true);
    expect(scopeCovers(scope, '/6505/650521/')).toBe(false);
    expect(scopeCovers(scope, '/6505/')).toBe(false);
  });

  it('limits token clients to the token scopes', () => {
    const a = actor([{ role: 'platform_admin', regionCode: '6505', regionPath: '/6505/' }], ['dashboard.read']);
    expect(requireScope(a, 'dashboard.read').paths).toEqual(['/6505/']);
    expect(() => requireScope(a, 'users.read')).toThrow(/not scoped/);
  });

  it('asks anonymous callers to sign in', () => {
    expect(() => requireScope(undefined, 'dashboard.read')).toThrow(expect.objectContaining({ code: 'auth.required' }));
  });
});
