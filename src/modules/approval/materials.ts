// Application materials (申请材料): files stored by the files module under owner kind 'approval.case', checked against
// the item's per-material types and size, and attached to the case. The applicant and the handling staff may upload;
// readers and handlers may read.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireActor, scopeOf, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { MATERIAL_USE, type FileOwner, type FileService, type OwnerAccess } from '../files/index.ts';
import { isUuid, scopeSql } from './access.ts';
import { caseNotFound } from './cases.ts';

export const CASE_FILE_OWNER = 'approval.case';
/** States in which materials may still be supplied (before the decision). */
const OPEN_FOR_MATERIALS = ['submitted', 'accepted', 'reviewing'];

export class CaseMaterials {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: FileService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Who may do what with a case's files: staff by scope, the citizen who applied. */
  private async access(ctx: RequestContext, caseId: string, write: boolean): Promise<(OwnerAccess & { state: string }) | null> {
    if (!isUuid(caseId)) return null;
    const actor = requireActor(ctx.actor);
    if (actor.kind === 'citizen') {
      const row = await this.db
        .selectFrom('approval_case as c')
        .innerJoin('citizen as z', (j) => j.on('z.user_id', '=', actor.userId))
        .select(['c.region_code', 'c.state'])
        .where('c.id', '=', caseId)
        .where((eb) => eb.or([eb('c.citizen_id', '=', actor.userId), eb('c.applicant_id_number', '=', eb.ref('z.id_number'))]))
        .executeTakeFirst();
      // a citizen holds no permission: the access is their own case, recorded under approval.read with no scope
      const own: Scope = { permission: 'approval.read', paths: [], departments: [], shares: [] };
      return row ? { permission: 'approval.read', scope: own, regionCode: row.region_code, state: row.state } : null;
    }
    const cols = { path: 'c.region_path', department: 'c.department_id' };
    const permissions = write ? (['approval.handle'] as const) : (['approval.handle', 'approval.read'] as const);
    for (const permission of permissions) {
      const scope = scopeOf(actor, permission, this.clock);
      if (!scope) continue;
      const row = await this.db.selectFrom('approval_case as c').select(['c.region_code', 'c.state']).where('c.id', '=', caseId).where(scopeSql(scope, cols)).executeTakeFirst();
      if (row) return { permission, scope, regionCode: row.region_code, state: row.state };
    }
    return null;
  }

  fileOwner(): FileOwner {
    return {
      uses: { material: MATERIAL_USE },
      canRead: (ctx, id) => this.access(ctx, id, false),
      canAttach: async (ctx, id) => {
        const access = await this.access(ctx, id, true);
        return access && OPEN_FOR_MATERIALS.includes(access.state) ? access : null;
      },
    };
  }

  /** Streams one file for material `seq` of the case through the files module, then attaches it if it fits. */
  async upload(ctx: RequestContext, caseId: string, seq: number, input: { name: string; declaredLength?: number; body: Readable }): Promise<{ id: string; name: string; size: number; mediaType: string }> {
    const access = await this.access(ctx, caseId, true);
    if (!access) {
      input.body.resume();
      throw caseNotFound();
    }
    const spec = await this.db
      .selectFrom('approval_case as c')
      .innerJoin('approval_item_material as m', 'm.item_id', 'c.item_id')
      .select(['m.name', 'm.mime_types', 'm.max_bytes'])
      .where('c.id', '=', caseId)
      .where('m.seq', '=', seq)
      .executeTakeFirst();
    if (!spec) {
      input.body.resume();
      throw invalid('approval.unknown_material', 'seq', 'The item has no such material.');
    }
    if (input.declaredLength !== undefined && input.declaredLength > spec.max_bytes) {
      input.body.resume();
      throw new DomainError('approval.material_too_large', 'too_large', `「${spec.name}」 may be at most ${spec.max_bytes} bytes.`, 'body', { maxBytes: spec.max_bytes });
    }
    const file = await this.files.upload(ctx, { ownerKind: CASE_FILE_OWNER, ownerId: caseId, use: 'material', name: input.name, ...(input.declaredLength === undefined ? {} : { declaredLength: input.declaredLength }), body: input.body });
    // the file is stored but stays unattached (collected as garbage) when it does not fit this material
    if (!spec.mime_types.includes(file.mediaType)) throw new DomainError('approval.material_type', 'unsupported_type', `「${spec.name}」 may be ${spec.mime_types.join(', ')}; this file is ${file.mediaType}.`, 'body', { detected: file.mediaType, allowed: spec.mime_types });
    if (file.size > spec.max_bytes) throw new DomainError('approval.material_too_large', 'too_large', `「${spec.name}」 may be at most ${spec.max_bytes} bytes.`, 'body', { maxBytes: spec.max_bytes });
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('approval_case_material').values({ case_id: caseId, material_seq: seq, file_id: file.id }).onConflict((oc) => oc.doNothing()).execute();
      await trx.updateTable('approval_case').set({ updated_at: this.clock.now() }).where('id', '=', caseId).execute();
      await this.audit.record(trx, ctx, { action: 'approval.case.material', objectType: 'approval_case', objectId: caseId, regionCode: access.regionCode ?? null, detail: { seq, fileId: file.id, name: file.name, size: file.size, permission: access.permission } });
    });
    return { id: file.id, name: file.name, size: file.size, mediaType: file.mediaType };
  }
}

