// 居民画像 — the integrated resident view of the digital community: the registry record in the caller's jurisdiction,
// household, 重点人群 labels, fact flags, and the person-keyed resources read live through the sharing grants of the
// one consumer the digital community system reads through (D67); the fact flags derived through the same grants.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, authorOf, scopeCovers, scopeOf, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { maskIdNumber, maskPhone } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import { FACTS, residentInScope, type Fact } from '../community/index.ts';
import type { ResidentService } from '../residents/index.ts';
import * as repo from './repository.ts';
import type { AttachInput, LabelCount, Profile, ProfileLabel, ProfileSource } from './schema.ts';
import './permissions.ts';

/** h1's permission to see ID numbers and phones in clear; read by name so this works before and after it exists. */
const READ_SENSITIVE = 'community.read_sensitive' as Permission;
const DEFAULT_PURPOSE = '社区居民服务与管理';

/** Days after which a resource's last load is stale, by update cycle. */
const CYCLE_DAYS: Readonly<Record<string, number>> = { realtime: 1, daily: 1, weekly: 7, monthly: 31, quarterly: 92, half_yearly: 183, yearly: 366 };

/** Whole years between a 'YYYY-MM-DD' birth date and today. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function isStale(lastLoadAt: string | null, cycle: string, now: Date): boolean {
  if (!lastLoadAt) return true;
  const days = CYCLE_DAYS[cycle] ?? 31;
  return now.getTime() - new Date(lastLoadAt).getTime() > days * 86_400_000;
}

export interface CommittedEvent {
  resourceId: string;
  resourceCode?: string;
  loadId?: string;
  version?: number;
  maxSeq?: number | string | null;
}

export interface ConsumerInput {
  departmentId: string;
  clientAppId?: string | null;
  purpose?: string;
  /** Resource codes per fact; a fact not named keeps its sources. */
  factSources?: Partial<Record<Fact, string[]>>;
}

const labelView = (l: Awaited<ReturnType<typeof repo.labelsOf>>[number]): ProfileLabel => ({
  code: l.code,
  name: l.name,
  nameEn: l.name_en,
  color: l.color,
  note: l.note,
  addedAt: l.added_at.toISOString(),
});

export class ProfileService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly residents: ResidentService,
    private readonly clock: Clock,
  ) {}

  /** The resident's profile; 404 outside the caller's community.read jurisdiction. Every view goes to the access log. */
  async profile(ctx: RequestContext, residentId: string, purpose?: string): Promise<Profile> {
    const { actor, scope } = authorize(ctx, 'community.read', this.clock);
    const row = await repo.residentInJurisdiction(this.db, scope, residentId);
    if (!row) throw notFound('profiles.resident_not_found', 'No such resident in your jurisdiction.', 'residentId');
    const now = this.clock.now();
    const today = chinaDate(now);
    const sensitive = scopeOf(actor, READ_SENSITIVE, this.clock);
    const reveal = sensitive !== null && scopeCovers(sensitive, row.region_path);
    const id = (v: string) => (reveal ? v : maskIdNumber(v));
    const manage = scopeOf(actor, 'community.manage', this.clock);
    const why = purpose?.trim() || null;

    const [members, labels, facts, consumer, sourceMap] = await Promise.all([
      row.household_id ? repo.householdMembers(this.db, row.household_id) : Promise.resolve([]),
      repo.labelsOf(this.db, row.id),
      repo.factsOf(this.db, row.id),
      repo.consumerOf(this.db),
      this.db.selectFrom('profile_fact_source as fs').innerJoin('data_resource as r', 'r.id', 'fs.resource_id').select(['r.code', 'fs.fact']).execute(),
    ]);
    const factsOfCode = (code: string) => sourceMap.filter((s) => s.code === code).map((s) => s.fact);

    let sources: ProfileSource[] = [];
    if (consumer) {
      // read live through the consumer's grants on behalf of the signed-in worker: both are on the access log
      const view = await this.residents.view(ctx, row.id_number, {
        departmentId: consumer.department_id,
        clientAppId: consumer.client_app_id,
        permission: 'community.read',
        purpose: why ?? consumer.purpose,
        via: 'community_profile',
      });
      sources = view.sources.map((s) => {
        const newest = s.records.reduce<string | null>((m, r) => (m === null || r.updatedAt > m ? r.updatedAt : m), null);
        return {
          ...s,
          rowUpdatedAt: newest,
          stale: s.access === 'granted' && isStale(s.lastLoadAt, s.updateCycle, now),
          facts: factsOfCode(s.resourceCode),
          applyPath: s.access === 'no_grant' ? `/sharing/requests/new?resource=${encodeURIComponent(s.resourceCode)}` : null,
        };
      });
    }

    const shown = ['id_number', 'name', 'sex', 'birth_date', 'ethnicity', 'phone', 'address', 'household', 'labels', 'facts'];
    await this.audit.recordAccess(ctx, {
      resource: 'community_resident',
      subjectIds: [row.id_number, ...members.filter((m) => m.id !== row.id).map((m) => m.id_number)],
      fields: shown,
      permission: 'community.read',
      scope,
      regionCode: row.community_code,
      detail: {
        via: 'community_profile',
        residentId: row.id,
        purpose: why ?? consumer?.purpose ?? DEFAULT_PURPOSE,
        revealed: reveal,
        consumerDepartmentId: consumer?.department_id ?? null,
        consumerDepartmentName: consumer?.department_name ?? null,
        clientAppId: consumer?.client_app_id ?? null,
        clientName: consumer?.client_name ?? null,
        sources: sources.filter((s) => s.access === 'granted').map((s) => s.resourceCode),
      },
    });

    return {
      resident: {
        id: row.id,
        idNumber: id(row.id_number),
        name: row.name,
        sex: row.sex,
        birthDate: row.birth_date,
        age: ageOn(row.birth_date, today),
        ethnicity: row.ethnicity,
        phone: row.phone === null ? null : reveal ? row.phone : maskPhone(row.phone),
        address: row.address || row.household_address || '',
        residenceStatus: row.residence_status,
        status: row.status,
        movedInOn: row.moved_in_on,
        communityCode: row.community_code,
        communityName: row.community_name ?? null,
        gridId: row.grid_id,
        gridName: row.grid_name ?? null,
      },
      masked: !reveal,
      household: row.household_id
        ? {
            id: row.household_id,
            householdNo: row.household_no ?? '',
            address: row.household_address ?? '',
            memberCount: row.member_count ?? members.length,
            members: members.map((m) => ({ id: m.id, name: m.name, idNumber: id(m.id_number), sex: m.sex, age: ageOn(m.birth_date, today), relation: m.relation, status: m.status, self: m.id === row.id })),
          }
        : null,
      labels: labels.map(labelView),
      facts: facts.map((f) => ({ fact: f.fact, value: f.value, sourceResourceCode: f.source_resource_code, sourceUpdatedAt: f.source_updated_at?.toISOString() ?? null, refreshedAt: f.refreshed_at.toISOString() })),
      consumer: consumer ? { departmentId: consumer.department_id, departmentName: consumer.department_name, clientAppId: consumer.client_app_id, clientName: consumer.client_name ?? null, purpose: consumer.purpose } : null,
      sources,
      abilities: { manageLabels: manage !== null && scopeCovers(manage, row.region_path) },
      generatedAt: now.toISOString(),
    };
  }

  /** Attaches a 重点人群 label with a note; attaching one the resident carries changes nothing (created: false). */
  async attachLabel(ctx: RequestContext, residentId: string, input: AttachInput): Promise<{ created: boolean; labels: ProfileLabel[] }> {
    const { actor, scope } = authorize(ctx, 'community.manage', this.clock);
    const note = (input.note ?? '').trim();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('community_resident as r').select(['r.id', 'r.id_number', 'r.community_code']).where('r.id', '=', residentId).where((eb) => residentInScope(eb, scope)).executeTakeFirst();
      if (!row) throw notFound('profiles.resident_not_found', 'No such resident in your jurisdiction.', 'residentId');
      const label = await trx.selectFrom('community_label').select(['code', 'name']).where('code', '=', input.label).executeTakeFirst();
      if (!label) throw invalid('profiles.unknown_label', 'label', `No label ${input.label}.`);
      // two attaches at once: the primary key lets one insert through, the other finds it there (no error)
      const inserted = await trx
        .insertInto('community_resident_label')
        .values({ resident_id: row.id, label_code: label.code, note, added_by: authorOf(actor) })
        .onConflict((oc) => oc.columns(['resident_id', 'label_code']).doNothing())
        .returning('label_code')
        .executeTakeFirst();
      if (inserted) {
        await this.audit.record(trx, ctx, {
          action: 'profiles.label_attach',
          objectType: 'community_resident',
          objectId: row.id,
          regionCode: row.community_code,
          detail: { label: label.code, labelName: label.name, note, permission: 'community.manage' },
        });
      }
      return { created: inserted !== undefined, labels: (await repo.labelsOf(trx, row.id)).map(labelView) };
    });
  }

  /** Detaches a label, with the reason in the audit record. */
  async detachLabel(ctx: RequestContext, residentId: string, labelCode: string, note?: string): Promise<{ labels: ProfileLabel[] }> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('community_resident as r').select(['r.id', 'r.community_code']).where('r.id', '=', residentId).where((eb) => residentInScope(eb, scope)).executeTakeFirst();
      if (!row) throw notFound('profiles.resident_not_found', 'No such resident in your jurisdiction.', 'residentId');
      const gone = await trx.deleteFrom('community_resident_label').where('resident_id', '=', row.id).where('label_code', '=', labelCode).returning(['label_code', 'note']).executeTakeFirst();
      if (!gone) throw notFound('profiles.label_not_attached', `The resident does not carry the label ${labelCode}.`, 'label');
      await this.audit.record(trx, ctx, {
        action: 'profiles.label_detach',
        objectType: 'community_resident',
        objectId: row.id,
        regionCode: row.community_code,
        detail: { label: labelCode, note: (note ?? '').trim(), attachedNote: gone.note, permission: 'community.manage' },
      });
      return { labels: (await repo.labelsOf(trx, row.id)).map(labelView) };
    });
  }

  /** Every label with the number of active residents carrying it in the caller's jurisdiction. */
  async labelCounts(ctx: RequestContext): Promise<{ items: LabelCount[] }> {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    const rows = await repo.labelCounts(this.db, scope);
    return { items: rows.map((l) => ({ code: l.code, name: l.name, nameEn: l.name_en, color: l.color, visitIntervalDays: l.visit_interval_days, count: l.count })) };
  }

  /**
   * Chooses the consumer and the fact sources (platform administrators; audited), then re-derives every flag.
   * `unnoted`: see refreshAll (the first start's demo, with the census cube rebuilt after it).
   */
  async configure(ctx: RequestContext, input: ConsumerInput, options: { unnoted?: boolean } = {}): Promise<void> {
    authorize(ctx, 'profiles.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const department = await trx.selectFrom('department').select(['id', 'region_code']).where('id', '=', input.departmentId).executeTakeFirst();
      if (!department) throw invalid('profiles.unknown_department', 'departmentId', 'No such department.');
      if (input.clientAppId) {
        const app = await trx.selectFrom('client_app').select('id').where('id', '=', input.clientAppId).where('department_id', '=', department.id).executeTakeFirst();
        if (!app) throw invalid('profiles.unknown_client_app', 'clientAppId', 'No such client application of that department.');
      }
      const purpose = (input.purpose ?? DEFAULT_PURPOSE).trim().slice(0, 200) || DEFAULT_PURPOSE;
      const values = { department_id: department.id, client_app_id: input.clientAppId ?? null, purpose, updated_at: this.clock.now() };
      await trx.insertInto('profile_consumer').values(values).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
      for (const [fact, codes] of Object.entries(input.factSources ?? {}) as [Fact, string[]][]) {
        if (!(FACTS as readonly string[]).includes(fact)) throw invalid('profiles.unknown_fact', `factSources.${fact}`, `No fact ${fact}.`);
        const resources = codes.length === 0 ? [] : await trx.selectFrom('data_resource').select(['id', 'code']).where('code', 'in', codes).where('person_item', 'is not', null).where('status', '=', 'published').execute();
        const missing = codes.find((c) => !resources.some((r) => r.code === c));
        if (missing) throw invalid('profiles.unknown_resource', `factSources.${fact}`, `No published person-keyed resource ${missing}.`);
        await trx.deleteFrom('profile_fact_source').where('fact', '=', fact).execute();
        if (resources.length > 0) await trx.insertInto('profile_fact_source').values(resources.map((r) => ({ fact, resource_id: r.id }))).execute();
      }
      await this.audit.record(trx, ctx, {
        action: 'profiles.configure',
        objectType: 'profile_consumer',
        objectId: department.id,
        regionCode: department.region_code,
        detail: { departmentId: department.id, clientAppId: input.clientAppId ?? null, purpose, factSources: input.factSources ?? {} },
      });
    });
    await this.refreshAll(FACTS, options);
  }

  /**
   * Outbox handler of datasets.committed: re-derives the flags of the residents whose rows the load wrote, for the
   * facts the resource is a source of — unless a full derivation after the commit saw the load already (demo, nightly).
   */
  async onCommitted(event: CommittedEvent): Promise<number> {
    if (!event.loadId) return 0;
    const maxSeq = event.maxSeq === undefined || event.maxSeq === null ? null : String(event.maxSeq);
    const facts = await repo.factsToRederive(this.db, event.resourceId, maxSeq);
    if (facts.length === 0) return 0;
    const loadId = event.loadId;
    const sources = await repo.usableSources(this.db, this.clock.now(), facts);
    let n = 0;
    for (const fact of facts) {
      n += await this.db.transaction().execute(async (trx) => {
        const r = await repo.refreshFact(trx, fact, sources.filter((s) => s.fact === fact), { loadId });
        return r.upserted + r.removed;
      });
    }
    return n;
  }

  /**
   * Re-derives every flag of every resident (schedule profiles.refresh_facts, and after configuration). `unnoted`: the
   * caller rebuilds the census cube afterwards, so the writes skip the census triggers' notes where the session may.
   */
  async refreshAll(facts: readonly Fact[] = FACTS, options: { unnoted?: boolean } = {}): Promise<{ upserted: number; removed: number }> {
    const sources = await repo.usableSources(this.db, this.clock.now());
    const total = { upserted: 0, removed: 0 };
    for (const fact of facts) {
      const r = await this.db.transaction().execute((trx) => repo.refreshFact(trx, fact, sources.filter((s) => s.fact === fact), 'all', options));
      total.upserted += r.upserted;
      total.removed += r.removed;
    }
    return total;
  }

  /**
   * Re-derives the facts whose usable sources changed since their last derivation (a grant revoked, expired or made,
   * a resource withdrawn, a region prefix changed): flags from a source no longer granted go. Cheap when nothing
   * changed (schedule profiles.sweep_facts, every minute).
   */
  async sweep(): Promise<Fact[]> {
    const usable = await repo.usableSources(this.db, this.clock.now());
    const states = await repo.factStates(this.db);
    const changed = FACTS.filter((f) => (states.get(f) ?? repo.fingerprintOf(f, [])) !== repo.fingerprintOf(f, usable));
    if (changed.length > 0) await this.refreshAll(changed);
    return changed;
  }
}
