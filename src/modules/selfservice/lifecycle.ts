// Direct lifecycle actions on a VM (start, stop, suspend, resume, snapshot): cloud.operate over its department tree
// (or region), a state check under the VM's row lock, one ledger row, one hypervisor message and the audit record in
// one transaction. The hypervisor module moves the state when the action settles.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorOf, roleFor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, forbidden } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { appendVmEvent, VM_ACTION_TOPIC, type VmActionMessage, type VmState } from '../cloud/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { cloudAccess, isUuid, scopeSql, vmNotFound, vmVisibleSql } from './access.ts';
import type { ActionInput, DirectAction, VmActionResult } from './schema.ts';

/** The states each direct action starts from. */
export const ACTION_FROM: Readonly<Record<DirectAction, readonly VmState[]>> = {
  start: ['stopped'],
  stop: ['running', 'suspended'],
  suspend: ['running'],
  resume: ['suspended'],
  snapshot: ['running', 'stopped', 'suspended'],
};
const AUDIT_CODES: Readonly<Record<DirectAction, string>> = {
  start: 'selfservice.vm_start',
  stop: 'selfservice.vm_stop',
  suspend: 'selfservice.vm_suspend',
  resume: 'selfservice.vm_resume',
  snapshot: 'selfservice.vm_snapshot',
};

export class Lifecycle {
  constructor(private readonly deps: { db: Kysely<Database>; audit: AuditService; outbox: OutboxService; clock: Clock }) {}

  async act(ctx: RequestContext, vmId: string, verb: DirectAction, input: ActionInput): Promise<VmActionResult> {
    const a = cloudAccess(ctx, this.deps.clock);
    if (!a.operate) throw forbidden('auth.forbidden', 'Your roles do not include cloud.operate.');
    if (!isUuid(vmId)) throw vmNotFound();
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const vm = await trx
        .selectFrom('cloud_vm as v')
        .selectAll('v')
        .select(sql<boolean>`${scopeSql(a.operate, { path: 'v.region_path', department: 'v.department_id' })}`.as('may'))
        .where('v.id', '=', vmId)
        .where(vmVisibleSql(a))
        .forUpdate()
        .executeTakeFirst();
      if (!vm) throw vmNotFound();
      if (!vm.may) throw forbidden('auth.forbidden', 'Your cloud.operate grant does not cover this VM.');
      if (!ACTION_FROM[verb].includes(vm.state)) throw conflict('cloud.invalid_state', `A VM in state ${vm.state} cannot ${verb}.`, 'state');
      const snapshot = verb === 'snapshot' ? (input.snapshot ?? `snap-${clock.now().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`) : undefined;
      const actorId = authorOf(a.actor);
      await appendVmEvent(trx, { vmId, action: verb, outcome: 'requested', state: vm.state, actorId, detail: snapshot ? { snapshot } : {} });
      const { seq } = await trx.selectFrom('cloud_vm_event').select((eb) => eb.fn.max('seq').as('seq')).where('vm_id', '=', vmId).executeTakeFirstOrThrow();
      await trx.updateTable('cloud_vm').set({ version: sql`version + 1`, updated_at: clock.now() }).where('id', '=', vmId).execute();
      const message: VmActionMessage = { vmId, action: verb, requestId: null, actorId, ...(snapshot ? { snapshot } : {}) };
      await this.deps.outbox.enqueue(trx, { topic: VM_ACTION_TOPIC, key: `${vmId}:${verb}:${seq}`, payload: message });
      await this.deps.audit.record(trx, ctx, {
        action: AUDIT_CODES[verb],
        objectType: 'cloud_vm',
        objectId: vmId,
        regionCode: vm.region_code,
        role: roleFor(a.actor, 'cloud.operate'),
        detail: { vm: vm.name, domain: vm.domain_name, state: vm.state, ...(snapshot ? { snapshot } : {}) },
      });
      return { vmId, action: verb, state: vm.state, seq: Number(seq) };
    });
  }
}
