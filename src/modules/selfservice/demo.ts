// Demo data of self-service (issue 10 §2): two open requests of the demo departments, so 待审批 is not empty — one
// waiting on the department's administrator, one (its department step done) on the platform. Each reserves its quota
// as a real submission does, has its timeline, and is audited once as the system actor; a second run writes nothing.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { chinaDate } from '../../shared/id-number.ts';
import type { AuditService } from '../audit/index.ts';
import { reserveQuota, type RequestState } from '../cloud/index.ts';

const PLANS: readonly { key: string; department: string; state: RequestState; flavour: string; diskGb: number; name: string; reason: string }[] = [
  { key: 'demo-pending-department', department: 'RSJ', state: 'pending_department', flavour: 'c4m8', diskGb: 200, name: '社保经办系统-报表节点', reason: '年度社保基数核定期间报表查询量增加，需新增报表节点分担负载。' },
  { key: 'demo-pending-platform', department: 'WJW', state: 'pending_platform', flavour: 'c8m16', diskGb: 500, name: '全民健康信息平台-数据交换节点', reason: '接入县级医院数据交换，现有节点资源不足，申请新增一台数据交换节点。' },
];

export async function seedSelfserviceDemo(db: Kysely<Database>, audit: AuditService, clock: Clock, options: DemoOptions): Promise<void> {
  const prefix = options.prefecture;
  const image = await db.selectFrom('cloud_image').select('code').where('code', '=', 'kylin-v10-sp3').where('active', '=', true).executeTakeFirst();
  if (!image) return; // the cloud demo did not run
  for (const plan of PLANS) {
    const flavour = await db.selectFrom('cloud_flavour').select(['code', 'vcpus', 'memory_mb']).where('code', '=', plan.flavour).where('active', '=', true).executeTakeFirst();
    const owner = await db
      .selectFrom('department as d')
      .innerJoin('region as g', 'g.code', 'd.region_code')
      .innerJoin('cloud_business_system as b', 'b.department_id', 'd.id')
      .innerJoin('app_user as u', 'u.department_id', 'd.id')
      .select(['d.id', 'd.region_code', 'g.path', 'b.id as system_id', 'u.id as user_id'])
      .select((eb) => eb.selectFrom('cloud_vm as v').select('v.zone_code').whereRef('v.business_system_id', '=', 'b.id').limit(1).as('zone'))
      .where('d.code', '=', `${prefix}-${plan.department}`)
      .where('b.status', '=', 'active')
      .orderBy('b.code')
      .orderBy('u.username')
      .limit(1)
      .executeTakeFirst();
    if (!flavour || !owner?.zone) continue;
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`govcloud.seed.selfservice.${prefix}`}))`.execute(trx);
      const known = await trx.selectFrom('cloud_vm_request').select('id').where('requested_by', '=', owner.user_id).where('request_key', '=', plan.key).executeTakeFirst();
      if (known) return;
      if (await reserveQuota(trx, owner.id, { vcpus: flavour.vcpus, memoryMb: flavour.memory_mb, diskGb: plan.diskGb, vms: 1 })) return; // no room in its quota: leave it out
      const counterPrefix = `CR${chinaDate(clock.now()).replaceAll('-', '')}`;
      const { last } = await trx
        .insertInto('selfservice_request_counter')
        .values({ prefix: counterPrefix, last: 1 })
        .onConflict((oc) => oc.column('prefix').doUpdateSet({ last: sql<number>`selfservice_request_counter.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow();
      const now = clock.now();
      const r = await trx
        .insertInto('cloud_vm_request')
        .values({
          request_no: `${counterPrefix}${String(last).padStart(5, '0')}`,
          kind: 'create',
          state: plan.state,
          department_id: owner.id,
          region_code: owner.region_code,
          region_path: owner.path,
          requested_by: owner.user_id,
          name: plan.name,
          business_system_id: owner.system_id,
          flavour_code: flavour.code,
          image_code: image.code,
          vcpus: flavour.vcpus,
          memory_mb: flavour.memory_mb,
          disk_gb: plan.diskGb,
          zone_code: owner.zone,
          reason: plan.reason,
          request_key: plan.key,
          quota_reserved: true,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'request_no'])
        .executeTakeFirstOrThrow();
      const events: Insertable<Database['selfservice_request_event']>[] = [{ request_id: r.id, seq: 1, action: 'submit', from_state: null, to_state: 'pending_department', actor_id: owner.user_id, note: plan.reason, at: now }];
      if (plan.state === 'pending_platform') events.push({ request_id: r.id, seq: 2, action: 'department_approve', from_state: 'pending_department', to_state: 'pending_platform', actor_id: null, note: '同意，请平台审批。', at: now });
      await trx.insertInto('selfservice_request_event').values(events).execute();
      await audit.record(trx, systemActorContext(), { action: 'selfservice.demo', objectType: 'cloud_vm_request', objectId: r.id, regionCode: owner.region_code, detail: { requestNo: r.request_no, state: plan.state } });
    });
  }
}
