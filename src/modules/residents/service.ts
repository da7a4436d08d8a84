// 人员综合视图 — a resident's facts joined by ID number across the person-keyed resources (人口, 社保, 医保, 计生, 党员 …)
// through the caller department's data grants: granted items only, masked; each resource read goes to the access log.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden, invalid } from '../../shared/errors.ts';
import { checkIdNumber, chinaDate } from '../../shared/id-number.ts';
import type { AuditService } from '../audit/index.ts';
import { loadResourceMeta, shareResourceOf, type ItemMask, type ItemMeta } from '../catalogue/index.ts';
import { maskRow } from '../sharing/index.ts';
import * as repo from './repository.ts';
import type { ResidentSource, ResidentView } from './schema.ts';
import './permissions.ts';

/** The themes the view is built for, shown first in this order; other person-keyed resources follow. */
export const RESIDENT_THEMES = ['population', 'social_security', 'medical_insurance', 'family_planning', 'party'] as const;

const themeRank = (theme: string | null): number => {
  const i = (RESIDENT_THEMES as readonly string[]).indexOf(theme ?? '');
  return i === -1 ? RESIDENT_THEMES.length : i;
};

/**
 * Reading on behalf of another consumer (the digital community system): the grants of `departmentId` (restricted to
 * those open to `clientAppId` when given), authorised by `permission` instead of residents.read; the access log names
 * both the signed-in reader and the consumer.
 */
export interface ViewAs {
  departmentId: string;
  clientAppId: string | null;
  permission: Permission;
  purpose: string;
  /** Recorded as the access log entries' `via`. */
  via: string;
}

export class ResidentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The person's facts from every person-keyed resource: read through the caller department's usable grant (the
   * widest when it holds several), listed as no_grant otherwise. Other modules (community management) call this.
   */
  async view(ctx: RequestContext, rawIdNumber: string, as?: ViewAs): Promise<ResidentView> {
    const permission = as?.permission ?? 'residents.read';
    const { actor, scope } = authorize(ctx, permission, this.clock);
    const now = this.clock.now();
    const check = checkIdNumber(rawIdNumber, { today: chinaDate(now) });
    if (!check.ok) throw invalid('residents.invalid_id_number', 'idNumber', `Not a valid ID number (${check.problem}).`);
    const idNumber = check.idNumber;
    const departmentId = as ? as.departmentId : actor.departmentId;
    if (departmentId === null) throw forbidden('residents.no_department', 'Your account belongs to no department, so no department grant applies.');

    const resources = (await repo.personResources(this.db)).sort((a, b) => themeRank(a.theme) - themeRank(b.theme) || a.code.localeCompare(b.code));
    const grants = await repo.usableGrants(this.db, departmentId, resources.map((r) => r.id), now, as?.clientAppId);
    // the widest grant per resource (most items, then the longest-lived)
    const widest = new Map<string, (typeof grants)[number]>();
    for (const g of grants) {
      const held = widest.get(g.resource_id);
      if (!held || g.fields.length > held.fields.length || (g.fields.length === held.fields.length && g.expires_at > held.expires_at)) widest.set(g.resource_id, g);
    }
    const grantedIds = [...widest.keys()];
    // items with their effective masks come from the catalogue's own reader, so the masking rules live in one place
    const [rows, loads, consumer, metas, client] = await Promise.all([
      repo.personRows(this.db, idNumber, grantedIds),
      repo.lastLoads(this.db, resources.map((r) => r.id)),
      this.db.selectFrom('department').select('name').where('id', '=', departmentId).executeTakeFirst(),
      Promise.all(grantedIds.map((id) => loadResourceMeta(this.db, id))),
      as?.clientAppId ? this.db.selectFrom('client_app').select('name').where('id', '=', as.clientAppId).executeTakeFirst() : Promise.resolve(undefined),
    ]);
    const lastLoadOf = new Map(loads.map((l) => [l.resource_id, l.finished_at]));
    const itemsOf = new Map<string, ItemMeta[]>(metas.flatMap((m) => (m ? [[m.id, m.items] as const] : [])));

    const sources: ResidentSource[] = [];
    const reads: Promise<void>[] = [];
    for (const r of resources) {
      const base = {
        resourceCode: r.code,
        resourceName: r.name,
        theme: r.theme,
        providerDepartmentId: r.provider_department_id,
        providerDepartmentName: r.provider_name,
        lastLoadAt: lastLoadOf.get(r.id)?.toISOString() ?? null,
        updateCycle: r.update_cycle,
      };
      const held = widest.get(r.id);
      if (!held) {
        sources.push({ ...base, access: 'no_grant', grantId: null, items: [], records: [] });
        continue;
      }
      const grant = { items: held.fields, masks: (held.masks ?? {}) as Record<string, ItemMask> };
      const resourceItems = itemsOf.get(r.id) ?? [];
      const granted = resourceItems.filter((i) => grant.items.includes(i.code));
      const records = rows
        .filter((row) => row.resource_id === r.id && (held.region_prefix === null || (row.region_code ?? '').startsWith(held.region_prefix)))
        .map((row) => ({ values: maskRow(resourceItems, grant, row.data as Record<string, unknown>), updatedAt: row.updated_at.toISOString() }));
      sources.push({ ...base, access: 'granted', grantId: held.share_id, items: granted.map((i) => ({ code: i.code, name: i.name })), records });
      reads.push(
        this.audit.recordAccess(ctx, {
          resource: shareResourceOf(r.code),
          subjectIds: records.length > 0 ? [idNumber] : [],
          fields: granted.map((i) => i.code),
          permission,
          scope,
          regionCode: r.region_code,
          detail: {
            via: as?.via ?? 'resident_view',
            grantId: held.share_id,
            resourceCode: r.code,
            resourceName: r.name,
            clientAppId: as?.clientAppId ?? null,
            clientName: client?.name ?? null,
            consumerDepartmentId: departmentId,
            consumerDepartmentName: consumer?.name ?? null,
            purpose: as ? `${as.purpose}（授权用途：${held.purpose}）` : held.purpose,
            rows: records.length,
          },
        }),
      );
    }
    // the reads are answered once they are on record (one batch for all of them, normally)
    await Promise.all(reads);
    return { idNumber, generatedAt: now.toISOString(), sources };
  }
}
