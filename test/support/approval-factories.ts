// Factories for administrative approval and supervision (issue 9): a service item and cases in any state, written as
// rows directly with the clock columns given (the approval module's own tests go through its service, which maintains
// them from the ledgers). Supervision, evaluation and the public channels test against these.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { CaseState, ItemKind, Step } from '../../src/modules/approval/index.ts';
import { makeIdNumber } from './community-factories.ts';
import { newDepartment, uniq } from './factories.ts';

export interface ItemInput {
  departmentId?: string;
  /** Where a new department is made when departmentId is not given (default 6505). */
  regionCode?: string;
  name?: string;
  kind?: ItemKind;
  statutoryDays?: number;
  promisedDays?: number;
  feeLawful?: boolean;
  feeYuan?: number;
  /** The procedure's steps with their limits (default: accept 5, review, decide, conclude, deliver 10 — all required). */
  steps?: { step: Step; limitDays?: number | null; required?: boolean }[];
  materials?: { name: string; required?: boolean; mimeTypes?: string[]; maxBytes?: number }[];
}

export async function newItem(db: Kysely<Database>, input: ItemInput = {}) {
  const departmentId = input.departmentId ?? (await newDepartment(db, { regionCode: input.regionCode ?? '6505' })).id;
  const department = await db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.region_code', 'r.path'])
    .where('d.id', '=', departmentId)
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto('approval_item')
    .values({
      code: uniq('SX'),
      name: input.name ?? uniq('测试事项'),
      department_id: departmentId,
      region_code: department.region_code,
      region_path: department.path,
      kind: input.kind ?? 'licence',
      legal_basis: '《中华人民共和国行政许可法》第四十二条',
      statutory_days: input.statutoryDays ?? 20,
      promised_days: input.promisedDays ?? 10,
      fee_lawful: input.feeLawful ?? false,
      fee_yuan: input.feeLawful ? (input.feeYuan ?? 0) : 0,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const steps = input.steps ?? [{ step: 'accept', limitDays: 5 }, { step: 'review' }, { step: 'decide' }, { step: 'conclude' }, { step: 'deliver', limitDays: 10 }];
  const STEP_NAMES: Record<Step, string> = { accept: '受理', review: '审查', decide: '决定', conclude: '办结', deliver: '送达' };
  await db
    .insertInto('approval_item_step')
    .values(steps.map((s, i) => ({ item_id: item.id, seq: i + 1, step: s.step, name: STEP_NAMES[s.step], limit_days: s.limitDays ?? null, required: s.required ?? true })))
    .execute();
  const materials = input.materials ?? [{ name: '申请书' }, { name: '身份证明' }];
  if (materials.length > 0) {
    await db
      .insertInto('approval_item_material')
      .values(
        materials.map((m, i) => ({
          item_id: item.id,
          seq: i + 1,
          name: m.name,
          required: m.required ?? true,
          ...(m.mimeTypes ? { mime_types: m.mimeTypes } : {}),
          ...(m.maxBytes ? { max_bytes: m.maxBytes } : {}),
        })),
      )
      .execute();
  }
  return item;
}

export interface CaseInput {
  state?: CaseState;
  channel?: 'online' | 'counter';
  applicantName?: string;
  applicantIdNumber?: string;
  applicantPhone?: string | null;
  citizenId?: string | null;
  handlerId?: string | null;
  appliedOn?: string;
  registeredAt?: Date;
  acceptedOn?: string | null;
  concludedOn?: string | null;
  deliveredOn?: string | null;
  decision?: 'approve' | 'deny' | null;
  reason?: string | null;
  feeYuan?: number;
  corrections?: number;
  statutoryDue?: string | null;
  promisedDue?: string | null;
  pausedSince?: string | null;
  dueProvisional?: boolean;
  /** Steps done (approval_case_step rows written with these completed on acceptedOn ?? appliedOn). */
  stepsDone?: Step[];
}

/** A case of `item` written directly, with a ledger event per state reached so far (action = the state). */
export async function newCase(db: Kysely<Database>, item: { id: string; department_id: string; region_code: string; region_path: string; statutory_days: number; promised_days: number }, input: CaseInput = {}) {
  const state = input.state ?? 'accepted';
  const appliedOn = input.appliedOn ?? '2026-11-02';
  const accepted = !['submitted', 'rejected', 'withdrawn'].includes(state);
  const acceptedOn = input.acceptedOn !== undefined ? input.acceptedOn : accepted ? appliedOn : null;
  const row = await db
    .insertInto('approval_case')
    .values({
      case_no: uniq('HM'),
      item_id: item.id,
      department_id: item.department_id,
      region_code: item.region_code,
      region_path: item.region_path,
      channel: input.channel ?? 'counter',
      applicant_kind: 'citizen',
      applicant_name: input.applicantName ?? '张三',
      applicant_id_number: input.applicantIdNumber ?? makeIdNumber('1980-05-01', 'M'),
      applicant_phone: input.applicantPhone === undefined ? '13800001111' : input.applicantPhone,
      citizen_id: input.citizenId ?? null,
      state,
      decision: input.decision ?? null,
      reason: input.reason ?? null,
      applied_on: appliedOn,
      ...(input.registeredAt ? { registered_at: input.registeredAt } : {}),
      handler_id: input.handlerId ?? null,
      accepted_on: acceptedOn,
      concluded_on: input.concludedOn ?? null,
      delivered_on: input.deliveredOn ?? null,
      fee_yuan: input.feeYuan ?? 0,
      statutory_days: item.statutory_days,
      promised_days: item.promised_days,
      corrections: input.corrections ?? 0,
      statutory_due: input.statutoryDue ?? null,
      promised_due: input.promisedDue ?? null,
      due_provisional: input.dueProvisional ?? false,
      paused_since: input.pausedSince ?? null,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('approval_case_event')
    .values({ case_id: row.id, seq: 1, action: 'submit', from_state: null, to_state: 'submitted', actor_id: null, citizen_id: null, on_date: appliedOn })
    .execute();
  if (state !== 'submitted') {
    await db
      .insertInto('approval_case_event')
      .values({ case_id: row.id, seq: 2, action: state, from_state: 'submitted', to_state: state, actor_id: null, citizen_id: null, on_date: input.concludedOn ?? acceptedOn ?? appliedOn })
      .execute();
  }
  const done = input.stepsDone ?? [];
  if (done.length > 0) {
    const on = acceptedOn ?? appliedOn;
    await db
      .insertInto('approval_case_step')
      .values(done.map((step) => ({ case_id: row.id, step, started_on: on, completed_on: on })))
      .execute();
  }
  return row;
}
