// What a caller may do to a sharing request, a data grant or a client application (abilities per row), written once
// with the permissions the row was matched under (computed in SQL: in_request / in_decide / in_authority).
import type { SharingRequestStatus } from './tables.ts';

export type RequestAbility = 'approve' | 'refuse' | 'withdraw';
export type GrantAbility = 'revoke' | 'masks';
export type ClientAbility = 'rotate' | 'disable' | 'enable' | 'edit';

const OPEN: readonly SharingRequestStatus[] = ['pending', 'escalated'];

/** Which permission answers this request for the caller: the provider while pending, the authority (主管部门) always. */
export function answeringPermission(row: { status: SharingRequestStatus; in_decide: boolean; in_authority: boolean }): 'sharing.decide' | 'sharing.authority' | null {
  if (!OPEN.includes(row.status)) return null;
  if (row.status === 'pending' && row.in_decide) return 'sharing.decide';
  if (row.in_authority) return 'sharing.authority';
  return null;
}

export function requestAbilities(row: { status: SharingRequestStatus; in_request: boolean; in_decide: boolean; in_authority: boolean }): RequestAbility[] {
  const out: RequestAbility[] = [];
  if (answeringPermission(row) !== null) out.push('approve', 'refuse');
  if (OPEN.includes(row.status) && row.in_request) out.push('withdraw');
  return out;
}

export function grantAbilities(row: { status: 'active' | 'expired' | 'revoked'; in_revoke: boolean; in_decide_or_authority: boolean }): GrantAbility[] {
  if (row.status !== 'active') return [];
  const out: GrantAbility[] = [];
  if (row.in_revoke) out.push('revoke');
  if (row.in_decide_or_authority) out.push('masks');
  return out;
}

export function clientAbilities(row: { status: 'active' | 'disabled' }): ClientAbility[] {
  return row.status === 'active' ? ['rotate', 'disable', 'edit'] : ['enable', 'edit'];
}
