// The years chinese-days ships (2004–2026 at 1.5.7), so SQL that asks the calendar (audit after-hours alerts) has
// them from the start. Years a later package adds are inserted by CalendarService on start (calendar.ship).
import { sql, type Kysely } from 'kysely';
import { shippedSchedules } from '../shipped.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { year, days } of shippedSchedules()) {
    const holidays = days.filter((d) => d.kind === 'holiday').length;
    await sql`INSERT INTO calendar_year (year, source, holidays, workdays) VALUES (${year}, 'package', ${holidays}, ${days.length - holidays})`.execute(db);
    const values = days.map((d) => sql`(${d.date}::date, ${year}, ${d.kind}, ${d.name})`);
    if (values.length > 0) await sql`INSERT INTO calendar_day (day, year, kind, name) VALUES ${sql.join(values)}`.execute(db);
  }
  await sql`UPDATE calendar_state SET version = version + 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM calendar_year WHERE source = 'package'`.execute(db);
}
