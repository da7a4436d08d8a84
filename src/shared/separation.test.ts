// Access v2 in pure logic: authorize(), the scope union (regions ∪ department trees ∪ share grants, expiry by the
// clock), and the three-role separation of the built-in roles and of module registrations.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.ts';
import { authorize, isAdministrativeDuty, permissionsOf, registerPermission, ROLES, scopeOf, type Actor, type Permission } from './access.ts';
import { systemContext } from './context.ts';

const ACCOUNT_CONTROL: Permission[] = ['users.manage', 'users.manage_all', 'roles.grant', 'roles.grant_any'];
const AUDIT_TRAIL: Permission[] = ['audit.read', 'audit.verify', 'audit.read_platform'];

const actor = (over: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', displayName: 'U', kind: 'staff', departmentId: 'dept-b', grants: [], via: 'session', ...over });

describe('three-role separation', () => {
  it('gives no built-in role both account or role control and the audit trail', () => {
    for (const role of ROLES) {
      const held = permissionsOf(role);
      const control = ACCOUNT_CONTROL.filter((p) => held.includes(p));
      const audit = AUDIT_TRAIL.filter((p) => held.includes(p));
      expect({ role, both: control.length > 0 && audit.length > 0 }, `${role}: ${control.join(',')} with ${audit.join(',')}`).toEqual({ role, both: false });
    }
  });

  it('splits the three duties between the system, security and audit administrators', () => {
    expect(permissionsOf('platform_admin')).toEqual(expect.arrayContaining(['users.manage', 'regions.manage', 'departments.manage']));
    expect(permissionsOf('platform_admin')).not.toContain('roles.grant');
    expect(permissionsOf('platform_admin')).not.toContain('audit.read');
    expect(permissionsOf('security_admin')).toEqual(expect.arrayContaining(['roles.grant_any', 'shares.manage']));
    expect(permissionsOf('security_admin')).not.toContain('audit.read');
    expect(permissionsOf('audit_admin')).toEqual(expect.arrayContaining(['audit.read', 'audit.verify', 'audit.read_platform']));
    expect(permissionsOf('audit_admin').filter((p) => ACCOUNT_CONTROL.includes(p))).toEqual([]);
    // what only an administrator holds protects its account from takeover by the others
    expect(['roles.grant_any', 'shares.manage', 'audit.read_platform'].every((p) => isAdministrativeDuty(p as Permission))).toBe(true);
    expect(['audit.read', 'roles.grant', 'users.manage'].some((p) => isAdministrativeDuty(p as Permission))).toBe(false);
  });

  it('gives a module permission to the administrator of its duty, and refuses a registration that mixes duties', () => {
    registerPermission('zztest.manage' as Permission, ['leader']);
    expect(permissionsOf('platform_admin')).toContain('zztest.manage');
    expect(permissionsOf('leader')).toContain('zztest.manage');
    expect(permissionsOf('audit_admin')).not.toContain('zztest.manage');
    registerPermission('audit.zztest_export' as Permission, ['auditor']);
    expect(permissionsOf('audit_admin')).toContain('audit.zztest_export');
    expect(permissionsOf('platform_admin')).not.toContain('audit.zztest_export');
    expect(() => registerPermission('audit.zztest_mixed' as Permission, ['department_admin'])).toThrow(/three-role separation/);
    expect(permissionsOf('department_admin')).not.toContain('audit.zztest_mixed');
  });
});

describe('authorize', () => {
  it('returns the actor and its scope, or asks to sign in', () => {
    const a = actor({ grants: [{ role: 'leader', regionCode: '650502', regionPath: '/6505/650502/' }] });
    expect(authorize({ ...systemContext(), actor: a }, 'users.read')).toEqual({ actor: a, scope: { permission: 'users.read', paths: ['/6505/650502/'], departments: [], shares: [] } });
    expect(() => authorize(systemContext(), 'users.read')).toThrow(expect.objectContaining({ code: 'auth.required' }));
    expect(() => authorize({ ...systemContext(), actor: a }, 'users.manage')).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
  });

  it('adds the holder’s department tree for tenant permissions', () => {
    const staff = actor({ grants: [{ role: 'department_staff', regionCode: '650502', regionPath: '/6505/650502/' }] });
    expect(scopeOf(staff, 'users.read')).toEqual({ permission: 'users.read', paths: [], departments: ['dept-b'], shares: [] });
    expect(scopeOf(staff, 'departments.read')?.departments).toEqual([]);
    expect(scopeOf({ ...staff, departmentId: null }, 'users.read')).toBeNull();
  });

  it('adds share grants for <resource>.read until they expire, and for nothing else', () => {
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const share = { id: 's1', resource: 'users', fields: ['displayName'], ownerDepartmentId: 'dept-a', purpose: '核对', expiresAt: '2026-03-02T02:00:00.000Z', grantee: 'department' as const };
    const a = actor({ shares: [share] });
    expect(scopeOf(a, 'users.read', clock)).toEqual({ permission: 'users.read', paths: [], departments: [], shares: [share] });
    expect(scopeOf(a, 'users.read_sensitive', clock)).toBeNull();
    expect(scopeOf(a, 'departments.read', clock)).toBeNull();
    clock.advance(60 * 60_000); // 10:00 Beijing = 02:00Z: the grant has expired
    expect(scopeOf(a, 'users.read', clock)).toBeNull();
    expect(() => authorize({ ...systemContext(), actor: a }, 'users.read', clock)).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
  });

  it("limits a token client to its scopes, its department's share grants included, but not grants naming the client itself", () => {
    const share = { id: 's1', resource: 'users', fields: ['displayName'], ownerDepartmentId: 'dept-a', purpose: '核对', expiresAt: '2999-01-01T00:00:00.000Z', grantee: 'department' as const };
    const leader = { role: 'leader' as const, regionCode: '6505', regionPath: '/6505/' };
    expect(scopeOf(actor({ via: 'token', tokenScopes: ['dashboard.read'], grants: [leader], shares: [share] }), 'users.read')).toBeNull();
    expect(scopeOf(actor({ via: 'token', tokenScopes: ['users.read'], shares: [share] }), 'users.read')?.shares).toEqual([share]);
    const client = { ...share, id: 's2', grantee: 'client' as const };
    expect(scopeOf(actor({ via: 'token', tokenScopes: ['dashboard.read'], grants: [leader], shares: [share, client] }), 'users.read')).toEqual({
      permission: 'users.read',
      paths: [],
      departments: [],
      shares: [client],
    });
  });
});
