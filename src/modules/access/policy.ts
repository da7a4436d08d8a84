// What a caller may do to a share grant (abilities), written once with permissions: the caller found the row in its
// shares.manage scope, so what remains is the grant's state.
export function shareAbilities(row: { status: 'active' | 'expired' | 'revoked' }): string[] {
  return row.status === 'active' ? ['revoke'] : [];
}
