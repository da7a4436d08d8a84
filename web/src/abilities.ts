// What the caller may do to one row. Access v2 puts the server's answer on each list and detail row (`abilities`); the
// console reads it and never re-derives a server rule or checks a role name. A row without the field (a server
// before access v2) falls back to what the server already said: a permission the caller holds, or the row's own flag.

export type Ability = 'update' | 'manage' | 'delete' | (string & {});

export function rowCan(row: object, ability: Ability, fallback: boolean): boolean {
  const abilities = (row as { abilities?: unknown }).abilities;
  return Array.isArray(abilities) ? abilities.includes(ability) : fallback;
}
