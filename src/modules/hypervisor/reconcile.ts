// Reconciliation (issue 10 §4, D94): libvirt is the truth about what runs. For one host, its domains are compared with
// the cloud_vm rows placed on it; a row whose domain is gone becomes `missing`, a row whose domain runs (or stopped)
// behind our back follows libvirt, each with an 'observed' ledger row; domains named gc-… that no row knows are
// reported, never deleted. An unreachable host is noted and nothing changes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { appendVmEvent, HypervisorError, type DomainInfo, type DomainState, type Hypervisor, type VmState } from '../cloud/index.ts';

export interface ReconcileChange {
  vmId: string;
  domain: string;
  from: VmState;
  to: VmState;
  /** What libvirt said: a domain state, or 'absent'. */
  observed: DomainState | 'absent';
}

export interface HostReconciliation {
  hostId: string;
  code: string;
  reachable: boolean;
  error?: string;
  domains: number;
  changes: ReconcileChange[];
  /** gc-… domains on the host that no VM row placed there knows (reported, not deleted). */
  unknown: { name: string; uuid: string; state: DomainState }[];
}

/** States reconciliation compares; rows in flight (placing, provisioning, decommissioning) belong to their handler. */
const SETTLED: readonly VmState[] = ['running', 'stopped', 'suspended', 'missing'];

/** What the database should say for a domain in this state (null: leave it). */
function stateFor(d: DomainState): VmState | null {
  if (d === 'running') return 'running';
  if (d === 'paused') return 'suspended';
  if (d === 'shutoff' || d === 'crashed') return 'stopped';
  return null;
}

export async function reconcileHost(deps: { db: Kysely<Database>; audit: AuditService }, hv: Hypervisor, host: { id: string; code: string }): Promise<HostReconciliation> {
  const report: HostReconciliation = { hostId: host.id, code: host.code, reachable: true, domains: 0, changes: [], unknown: [] };
  let domains: DomainInfo[];
  try {
    domains = await hv.list();
  } catch (e) {
    // a host we cannot see tells us nothing: no row is marked missing because of it
    return { ...report, reachable: false, error: e instanceof HypervisorError ? `hypervisor.${e.code}: ${e.message}` : String(e) };
  }
  report.domains = domains.length;
  const byUuid = new Map(domains.map((d) => [d.uuid.toLowerCase(), d]));
  const rows = await deps.db.selectFrom('cloud_vm').select(['id', 'domain_name', 'state', 'region_code']).where('host_id', '=', host.id).where('state', '<>', 'decommissioned').execute();
  const known = new Set(rows.map((r) => r.id.toLowerCase()));
  for (const d of domains) if (!known.has(d.uuid) && d.name.startsWith('gc-')) report.unknown.push({ name: d.name, uuid: d.uuid, state: d.state });

  for (const row of rows) {
    if (!SETTLED.includes(row.state)) continue;
    const d = byUuid.get(row.id.toLowerCase());
    const to: VmState | null = d ? stateFor(d.state) : 'missing';
    if (to === null || to === row.state) continue;
    const change: ReconcileChange = { vmId: row.id, domain: row.domain_name, from: row.state, to, observed: d ? d.state : 'absent' };
    const applied = await deps.db.transaction().execute(async (trx) => {
      // only if no action settled meanwhile (the row still says what we compared)
      const locked = await trx.selectFrom('cloud_vm').select('state').where('id', '=', row.id).forUpdate().executeTakeFirst();
      if (locked?.state !== row.state) return false;
      await trx
        .updateTable('cloud_vm')
        .set({ state: to, state_detail: d ? `libvirt reports ${d.state}` : 'The domain is not defined on its host.', updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', row.id)
        .execute();
      await appendVmEvent(trx, { vmId: row.id, action: 'reconcile', outcome: 'observed', state: to, detail: { from: row.state, observed: change.observed, host: host.code } });
      await deps.audit.record(trx, systemActorContext(), { action: 'hypervisor.observed', objectType: 'cloud_vm', objectId: row.id, regionCode: row.region_code, detail: { ...change, host: host.code } });
      return true;
    });
    if (applied) report.changes.push(change);
  }
  await deps.db.updateTable('cloud_host').set({ reconciled_at: sql`now()` }).where('id', '=', host.id).execute();
  return report;
}
