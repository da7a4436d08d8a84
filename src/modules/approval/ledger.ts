// The case's ledgers in a transaction: the next event (seq + 1), step rows, and the clock recomputed from the pauses —
// the one place that writes approval_case_event, approval_case_step and the clock columns.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { computeClock, stepDue, type WorkingDays } from './clock.ts';
import type { CaseState, Step } from './kinds.ts';

type Trx = Transaction<Database>;

export interface EventInput {
  action: string;
  from: CaseState | null;
  to: CaseState;
  actorId: string | null;
  citizenId: string | null;
  onDate: string;
  note?: string;
  detail?: Record<string, unknown>;
}

/** Appends the case's next event (the case row is locked by the caller) and returns its seq. */
export async function appendEvent(trx: Trx, caseId: string, e: EventInput): Promise<number> {
  const row = await trx
    .insertInto('approval_case_event')
    .values({
      case_id: caseId,
      seq: sql<number>`(SELECT coalesce(max(seq), 0) + 1 FROM approval_case_event WHERE case_id = ${caseId})`,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      actor_id: e.actorId,
      citizen_id: e.citizenId,
      on_date: e.onDate,
      note: e.note ?? '',
      detail: JSON.stringify(e.detail ?? {}),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

export async function startStep(trx: Trx, caseId: string, step: Step, on: string, actorId: string | null): Promise<void> {
  await trx
    .insertInto('approval_case_step')
    .values({ case_id: caseId, step, started_on: on, actor_id: actorId })
    .onConflict((oc) => oc.columns(['case_id', 'step']).doNothing())
    .execute();
}

export async function completeStep(trx: Trx, caseId: string, step: Step, on: string, actorId: string | null): Promise<void> {
  await startStep(trx, caseId, step, on, actorId);
  await trx.updateTable('approval_case_step').set({ completed_on: on, actor_id: actorId }).where('case_id', '=', caseId).where('step', '=', step).where('completed_on', 'is', null).execute();
}

/**
 * Recomputes statutory_due, promised_due, due_provisional, paused_since and the open steps' due dates from the
 * ledgers, on the working calendar. Every transition calls it; so does the job run when a holiday year is loaded.
 */
export async function recompute(trx: Trx, calendar: WorkingDays, caseId: string): Promise<void> {
  const c = await trx.selectFrom('approval_case').select(['accepted_on', 'statutory_days', 'promised_days', 'extension_days', 'step_limits']).where('id', '=', caseId).executeTakeFirstOrThrow();
  const pauses = (await trx.selectFrom('approval_case_pause').select(['started_on', 'ended_on']).where('case_id', '=', caseId).execute()).map((p) => ({ startedOn: p.started_on, endedOn: p.ended_on }));
  const clock = computeClock(calendar, { acceptedOn: c.accepted_on, statutoryDays: c.statutory_days, promisedDays: c.promised_days, extensionDays: c.extension_days, pauses });
  const steps = await trx.selectFrom('approval_case_step').select(['step', 'started_on', 'due_on']).where('case_id', '=', caseId).where('completed_on', 'is', null).execute();
  let provisional = clock.dueProvisional;
  for (const s of steps) {
    const due = stepDue(calendar, s.started_on, c.step_limits[s.step], pauses);
    provisional ||= due?.provisional ?? false;
    if ((due?.date ?? null) !== s.due_on) await trx.updateTable('approval_case_step').set({ due_on: due?.date ?? null }).where('case_id', '=', caseId).where('step', '=', s.step).execute();
  }
  await trx
    .updateTable('approval_case')
    // updated_at: the incremental supervision sweep looks at changed rows (D106)
    .set({ statutory_due: clock.statutoryDue, promised_due: clock.promisedDue, due_provisional: provisional, paused_since: clock.pausedSince, updated_at: sql`now()` })
    .where('id', '=', caseId)
    .execute();
}
