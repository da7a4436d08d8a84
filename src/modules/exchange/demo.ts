// Demo statistics: 30 days of calls for each consuming system that holds a data grant (the sharing module's demo
// makes the systems and grants), so 交换统计 has something real-shaped to draw. Idempotent: a pair that has
// statistics already is left alone.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDay } from './stats.ts';

export async function seedExchangeDemo(db: Kysely<Database>, clock: Clock): Promise<number> {
  const pairs = await db
    .selectFrom('data_grant as g')
    .innerJoin('client_app as c', (join) => join.onRef('c.department_id', '=', 'g.consumer_department_id'))
    .leftJoin('exchange_stat as x', (join) => join.onRef('x.client_app_id', '=', 'c.id').onRef('x.resource_id', '=', 'g.resource_id'))
    .select(['c.id as client_app_id', 'g.resource_id', 'g.provider_department_id', 'g.consumer_department_id', 'g.client_app_id as bound'])
    .where('x.day', 'is', null)
    .where((eb) => eb.or([eb('g.client_app_id', 'is', null), eb('g.client_app_id', '=', eb.ref('c.id'))]))
    .distinct()
    .execute();
  if (pairs.length === 0) return 0;
  const today = clock.now();
  const values = pairs.flatMap((p, i) =>
    Array.from({ length: 30 }, (_, back) => {
      const day = beijingDay(new Date(today.getTime() - back * 86_400_000));
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      // working days busier than weekends, each pair at its own level, a slow upward trend
      const base = (40 + ((i * 37) % 160)) * (weekday === 0 || weekday === 6 ? 0.15 : 1) * (1 + (30 - back) / 60);
      const calls = Math.round(base + ((back * 13 + i * 7) % 17));
      return {
        day,
        client_app_id: p.client_app_id,
        resource_id: p.resource_id,
        provider_department_id: p.provider_department_id,
        consumer_department_id: p.consumer_department_id,
        calls,
        rows: Math.round(calls * 0.93),
        refusals: (back + i) % 9 === 0 ? 2 : 0,
      };
    }),
  );
  for (let i = 0; i < values.length; i += 1000) {
    await db.insertInto('exchange_stat').values(values.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
  }
  return pairs.length;
}
