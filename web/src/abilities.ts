// What the caller may do to one row. Access v2 puts the server's answer on each list and detail row (`abilities`,
// decided by the entity's policy file on the server); the console reads it and never re-derives a server rule or
// checks a role name. The ability is typed by the row, so asking a department row for 'retire' does not compile.

export function rowCan<R extends { abilities: readonly string[] }>(row: R, ability: R['abilities'][number]): boolean {
  return row.abilities.includes(ability);
}
