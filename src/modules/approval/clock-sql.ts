// "Overdue", derived at query time from a case's clock columns and a date — never stored (issue 9 §3).
// A running case is overdue on `today` when the clock's last day lies before today; while a pause is open the clock
// stands still, so it is overdue only if the limit had already passed when the pause began. A concluded case was
// concluded late when its conclusion day lies after the last day.
import { sql, type RawBuilder } from 'kysely';
import { CLOCK_STATES } from './kinds.ts';

export type ClockName = 'statutory' | 'promised';

const STATES = sql.join(CLOCK_STATES.map((s) => sql.lit(s)));

/** `alias.statutory_due` or `alias.promised_due`. */
function due(alias: string, clock: ClockName): RawBuilder<string> {
  return sql.ref(`${alias}.${clock}_due`);
}

/** True for a running (accepted, not concluded) case past the clock's last day on `today` (YYYY-MM-DD). */
export function overdueSql(today: string, clock: ClockName = 'statutory', alias = 'c'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.state`)} IN (${STATES}) AND coalesce(${sql.ref(`${alias}.paused_since`)}, ${today}::date) > ${due(alias, clock)})`;
}

/** True for a case concluded after the clock's last day (超期办结). */
export function concludedLateSql(clock: ClockName = 'statutory', alias = 'c'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.concluded_on`)} IS NOT NULL AND ${sql.ref(`${alias}.concluded_on`)} > ${due(alias, clock)})`;
}

/** Overdue now or concluded late: the case broke the clock's limit at some point. */
export function brokeLimitSql(today: string, clock: ClockName = 'statutory', alias = 'c'): RawBuilder<boolean> {
  return sql<boolean>`(${overdueSql(today, clock, alias)} OR ${concludedLateSql(clock, alias)})`;
}
