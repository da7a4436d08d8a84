// The approval policy (审批策略): whether the department step is required, and up to what size the platform step is
// approved automatically. A department's own row, else the default row.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface Policy {
  departmentStepRequired: boolean;
  autoMaxVcpus: number;
  autoMaxMemoryMb: number;
  autoMaxDiskGb: number;
  /** The department has no row of its own. */
  inherited: boolean;
}

export async function policyFor(db: Kysely<Database> | Transaction<Database>, departmentId: string | null): Promise<Policy> {
  const rows = await db
    .selectFrom('selfservice_policy')
    .selectAll()
    .where((eb) => (departmentId ? eb.or([eb('department_id', '=', departmentId), eb('department_id', 'is', null)]) : eb('department_id', 'is', null)))
    .execute();
  const own = rows.find((r) => r.department_id !== null);
  const row = own ?? rows.find((r) => r.department_id === null);
  if (!row) return { departmentStepRequired: true, autoMaxVcpus: 0, autoMaxMemoryMb: 0, autoMaxDiskGb: 0, inherited: true };
  return { departmentStepRequired: row.department_step_required, autoMaxVcpus: row.auto_max_vcpus, autoMaxMemoryMb: row.auto_max_memory_mb, autoMaxDiskGb: row.auto_max_disk_gb, inherited: own === undefined };
}

/** The platform step approves itself when the VM (its shape after the request) is within every threshold. */
export function withinAutoApproval(r: { vcpus: number; memory_mb: number; disk_gb: number }, p: Policy): boolean {
  return p.autoMaxVcpus > 0 && r.vcpus <= p.autoMaxVcpus && r.memory_mb <= p.autoMaxMemoryMb && r.disk_gb <= p.autoMaxDiskGb;
}
