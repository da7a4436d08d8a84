// Demo of the citizen access record: the demo consuming system (民政业务系统) looks a few residents up through the real
// gateway, and one of them has a citizen account, so 我的数据被谁用了 in the portal shows real reads.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditService } from '../audit/index.ts';
import type { CitizenService } from '../citizens/index.ts';
import type { ExchangeService } from '../exchange/index.ts';
import { DEMO_CLIENT } from '../sharing/index.ts';
import { systemActorContext, systemContext } from '../../shared/context.ts';

/** The demo's citizen: signs in at /citizen with this ID number (or phone) and the password. Demo only. */
export const DEMO_CITIZEN_PHONE = '13899020001';
export const DEMO_CITIZEN_PASSWORD = 'Hami@2026??';

const PURPOSES = ['最低生活保障资格复核', '特困人员救助供养审核', '临时救助家庭经济状况核对'];

export async function seedTrackerDemo(db: Kysely<Database>, services: { exchange: ExchangeService; citizens: CitizenService; audit: AuditService }): Promise<void> {
  if (await db.selectFrom('citizen').select('user_id').where('phone', '=', DEMO_CITIZEN_PHONE).executeTakeFirst()) return;
  const app = await db.selectFrom('client_app').select(['id', 'department_id']).where('client_id', '=', DEMO_CLIENT.clientId).executeTakeFirst();
  if (!app) return;
  // the demo system's usable grants on resources kept by 身份证号, with a name item granted
  const grants = await db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .innerJoin('data_resource as r', 'r.id', 'g.resource_id')
    .select(['g.share_id', 'r.id as resource_id', 'r.code', 's.fields'])
    .where('g.consumer_department_id', '=', app.department_id)
    .where((eb) => eb.or([eb('g.client_app_id', 'is', null), eb('g.client_app_id', '=', app.id)]))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .where('r.person_item', 'is not', null)
    .where('r.upstream_url', 'is', null)
    .orderBy('r.code')
    .execute();
  if (grants.length === 0) return;
  const first = grants[0]!;
  const people = await db
    .selectFrom('data_row')
    .select(['key', 'person_id', 'data'])
    .where('resource_id', '=', first.resource_id)
    .where('deleted', '=', false)
    .where('person_id', 'is not', null)
    .orderBy('key')
    .limit(5)
    .execute();
  if (people.length === 0) return;
  const auth = `Basic ${Buffer.from(`${DEMO_CLIENT.clientId}:${DEMO_CLIENT.secret}`).toString('base64')}`;
  // the first person is read through every grant the system holds on them, the others once
  for (const [i, person] of people.entries()) {
    for (const grant of i === 0 ? grants : [first]) {
      const row = await db.selectFrom('data_row').select('key').where('resource_id', '=', grant.resource_id).where('person_id', '=', person.person_id).where('deleted', '=', false).executeTakeFirst();
      if (!row) continue;
      const headers = { authorization: auth, 'x-grant-id': grant.share_id, 'x-purpose': encodeURIComponent(PURPOSES[i % PURPOSES.length]!) };
      await services.exchange.lookup(systemContext(), headers, { code: grant.code, key: row.key }).catch(() => undefined);
    }
  }
  await services.audit.drainAccessLog();
  const data = people[0]!.data as Record<string, unknown>;
  const name = typeof data.name === 'string' && data.name.trim() !== '' ? data.name : '演示居民';
  await services.citizens.registerAsSystem(systemActorContext(), { name, idNumber: people[0]!.person_id!, phone: DEMO_CITIZEN_PHONE, password: DEMO_CITIZEN_PASSWORD });
}
