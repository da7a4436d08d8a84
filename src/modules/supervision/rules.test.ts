// The approval rules (issue 9 §4) on the shared test database: each rule fires on its day and not on the boundary
// day before, once however often it is evaluated (one case, the full sweep, two sweeps at once on two service
// instances), and a fired warning notifies the handler (else the department administrators) by 站内信 and SMS — from the
// sweep's transaction, or for one case from the outbox event its statement wrote (once, however often it is handled).
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { systemClock } from '../../platform/clock.ts';
import { createServices } from '../../services.ts';
import { collectWork, outboxJobHandlers, OUTBOX_JOB_PREFIX, type JobsService } from '../jobs/index.ts';
import { modules } from '../registry.ts';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newCase, newItem, type CaseInput } from '../../../test/support/approval-factories.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { NOTICES_TOPIC, RULES_LOCK } from './rules-sql.ts';
import type { SupervisionService } from './service.ts';

let db: Kysely<Database>;
let services: Record<string, unknown>;
let supervision: SupervisionService;
let item: Awaited<ReturnType<typeof newItem>>;
let feeItem: Awaited<ReturnType<typeof newItem>>;
let department: { id: string };

const serviceOn = (d: Kysely<Database>) => (createServices(d, testConfig()) as unknown as { supervision: SupervisionService }).supervision;

beforeAll(async () => {
  ({ db } = await testDb());
  services = createServices(db, testConfig()) as unknown as Record<string, unknown>;
  supervision = services.supervision as SupervisionService;
  department = await newDepartment(db, { regionCode: '650502', name: '伊州区市场监督管理局' });
  item = await newItem(db, { departmentId: department.id, name: '食品经营许可' });
  feeItem = await newItem(db, { departmentId: department.id, name: '取水许可', feeLawful: true, feeYuan: 50 });
}, 300_000);

/** A case registered on the day it was applied for (so that only what the test sets can fire). */
const makeCase = (input: CaseInput = {}, of = item) =>
  newCase(db, of, { appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), ...input });

async function evaluate(caseId: string, today: string) {
  return db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, caseId, today));
}

/** The registered handler of the one-case notices (the supervision module's, as the job system runs it). */
const noticesHandler = () => collectWork(modules, { db, config: testConfig(), clock: systemClock, services }).outbox[NOTICES_TOPIC]!;

/** Runs the due notices' events through a job worker until none is left. */
async function drainNotices() {
  const worker = (services.jobs as JobsService).createWorker({ handlers: outboxJobHandlers({ [NOTICES_TOPIC]: noticesHandler() }), batchSize: 200, pollMs: 10 });
  while ((await worker.runOnce()) > 0);
}

/** The notices' events written for these warnings (their key is the first id). */
const noticeEvents = async (firstId: string) =>
  db.selectFrom('job').select(['payload', 'state']).where('name', '=', `${OUTBOX_JOB_PREFIX}${NOTICES_TOPIC}`).where('unique_key', '=', firstId).execute();

const rulesOf = async (caseId: string) =>
  (await db.selectFrom('supervision_warning').select('rule').where('subject_id', '=', caseId).orderBy('rule').execute()).map((r) => r.rule);

/** A concluded case whose ledger has its acceptance and whose required steps are all done. */
async function concluded(input: CaseInput = {}, of = item) {
  const c = await makeCase({ state: 'concluded', acceptedOn: '2026-11-02', concludedOn: '2026-11-10', decision: 'approve', stepsDone: ['accept', 'review', 'decide'], ...input }, of);
  await db.insertInto('approval_case_event').values({ case_id: c.id, seq: 3, action: 'accept', from_state: 'submitted', to_state: 'accepted', actor_id: null, citizen_id: null, on_date: '2026-11-02' }).execute();
  return c;
}

describe('supervision rules', () => {
  it('prompts one working day before a last day, and not two', async () => {
    // 2026-11-25 is a Wednesday: the next working day is Thursday the 26th
    const near = await makeCase({ state: 'reviewing', promisedDue: '2026-11-26', statutoryDue: '2026-12-10' });
    const far = await makeCase({ state: 'reviewing', promisedDue: '2026-11-27', statutoryDue: '2026-12-10' });
    const paused = await makeCase({ state: 'reviewing', promisedDue: '2026-11-26', statutoryDue: '2026-12-10', pausedSince: '2026-11-20' });
    // Friday the 27th: Monday the 30th is one working day away
    const overWeekend = await makeCase({ state: 'reviewing', promisedDue: '2026-11-30', statutoryDue: '2026-12-10' });
    for (const c of [near, far, paused]) await evaluate(c.id, '2026-11-25');
    expect(await rulesOf(near.id)).toEqual(['deadline.prompt']);
    expect(await rulesOf(far.id)).toEqual([]);
    expect(await rulesOf(paused.id)).toEqual([]);
    await evaluate(overWeekend.id, '2026-11-26');
    expect(await rulesOf(overWeekend.id)).toEqual([]);
    await evaluate(overWeekend.id, '2026-11-27');
    expect(await rulesOf(overWeekend.id)).toEqual(['deadline.prompt']);
  });

  it('cards yellow after the promised and red after the statutory last day, not on the last day itself', async () => {
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-11-24' });
    await evaluate(c.id, '2026-11-20');
    expect(await rulesOf(c.id)).toEqual(['deadline.prompt']);
    await evaluate(c.id, '2026-11-23');
    expect(await rulesOf(c.id)).toEqual(['deadline.prompt', 'promised.passed']);
    await evaluate(c.id, '2026-11-24');
    expect(await rulesOf(c.id)).toEqual(['deadline.prompt', 'promised.passed']);
    const fired = await evaluate(c.id, '2026-11-25');
    expect(fired.byRule).toEqual({ 'statutory.passed': 1 });
    const red = await db.selectFrom('supervision_warning').selectAll().where('subject_id', '=', c.id).where('rule', '=', 'statutory.passed').executeTakeFirstOrThrow();
    expect(red).toMatchObject({ level: 'red', fired_on: '2026-11-25', department_id: department.id, region_code: '650502', state: 'open' });
    expect(red.summary).toMatch(/^伊州区市场监督管理局 食品经营许可 HM.* 超法定时限（红牌）$/);
    // concluded late counts too
    const late = await makeCase({ state: 'concluded', acceptedOn: '2026-11-02', promisedDue: '2026-11-10', statutoryDue: '2026-11-20', concludedOn: '2026-11-23', stepsDone: ['accept', 'review', 'decide'] });
    await evaluate(late.id, '2026-11-25');
    expect(await rulesOf(late.id)).toContain('statutory.passed');
  });

  it('turns a yellow card red when it stays open past its 督办 period of 5 working days', async () => {
    const early = await makeCase({ state: 'reviewing', promisedDue: '2026-11-13', statutoryDue: '2026-12-31' });
    const later = await makeCase({ state: 'reviewing', promisedDue: '2026-11-13', statutoryDue: '2026-12-31' });
    await evaluate(early.id, '2026-11-17'); // yellow fired on Tuesday the 17th
    await evaluate(later.id, '2026-11-18');
    await evaluate(early.id, '2026-11-25'); // 18, 19, 20, 23, 24: five working days passed before the 25th
    await evaluate(later.id, '2026-11-25'); // its fifth working day is the 25th itself
    expect(await rulesOf(early.id)).toContain('yellow.outlived');
    expect(await rulesOf(later.id)).not.toContain('yellow.outlived');
    await evaluate(later.id, '2026-11-26');
    expect(await rulesOf(later.id)).toContain('yellow.outlived');
    // a closed card does not turn red
    const closed = await makeCase({ state: 'reviewing', promisedDue: '2026-11-13', statutoryDue: '2026-12-31' });
    await evaluate(closed.id, '2026-11-17');
    await db.updateTable('supervision_warning').set({ state: 'closed' }).where('subject_id', '=', closed.id).execute();
    await evaluate(closed.id, '2026-11-26');
    expect(await rulesOf(closed.id)).toEqual(['promised.passed']);
  });

  it('finds the irregularities, and a clean concluded case has none', async () => {
    const clean = await concluded();
    const beforeAccepted = await makeCase({ state: 'concluded', acceptedOn: '2026-11-12', concludedOn: '2026-11-10', stepsDone: ['accept', 'review', 'decide'] });
    const skipped = await concluded({ stepsDone: ['accept', 'decide'] });
    const fee = await makeCase({ feeYuan: 50 });
    const lawfulFee = await makeCase({ feeYuan: 50 }, feeItem);
    const twice = await makeCase({ corrections: 2 });
    const once = await makeCase({ corrections: 1 });
    const rejected = await makeCase({ state: 'rejected', reason: '  ' });
    const denied = await makeCase({ state: 'decided', decision: 'deny', reason: null });
    const reasoned = await makeCase({ state: 'rejected', reason: '申请材料不齐全，经告知仍未补正' });
    // applied Monday the 2nd: the 4th is the second working day after; the 5th in Beijing is late, even at 00:30
    const lateEntry = await makeCase({ registeredAt: new Date('2026-11-05T00:30:00+08:00') });
    const inTime = await makeCase({ registeredAt: new Date('2026-11-04T23:30:00+08:00') });
    const all = { clean, beforeAccepted, skipped, fee, lawfulFee, twice, once, rejected, denied, reasoned, lateEntry, inTime };
    for (const c of Object.values(all)) await evaluate(c.id, '2026-11-25');
    const got = Object.fromEntries(await Promise.all(Object.entries(all).map(async ([k, c]) => [k, await rulesOf(c.id)])));
    expect(got).toEqual({
      clean: [],
      // its steps are dated at acceptance, after the conclusion: skipped at conclusion too
      beforeAccepted: ['irregular.concluded_before_accepted', 'irregular.step_skipped'],
      skipped: ['irregular.step_skipped'],
      fee: ['irregular.fee_on_free_item'],
      lawfulFee: [],
      twice: ['irregular.repeated_correction'],
      once: [],
      rejected: ['irregular.refusal_without_reason'],
      denied: ['irregular.refusal_without_reason'],
      reasoned: [],
      lateEntry: ['irregular.late_entry'],
      inTime: [],
    });
  });

  it('fires each warning once: again, by the sweep, and by two sweeps at once on two service instances', async () => {
    const handler = await newUser(db, { departmentId: department.id, phone: '13912345678', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-11-23', handlerId: handler.id, corrections: 3 });
    const other = serviceOn(db);
    const [a, b] = await Promise.all([supervision.engine.sweep('2026-11-25'), other.engine.sweep('2026-11-25')]);
    expect(a.fired + b.fired).toBeGreaterThanOrEqual(3);
    expect(await rulesOf(c.id)).toEqual(['irregular.repeated_correction', 'promised.passed', 'statutory.passed']);
    const twice = await Promise.all([evaluate(c.id, '2026-11-25'), db.transaction().execute((trx) => other.engine.evaluateCase(trx, c.id, '2026-11-25'))]);
    expect(twice.map((r) => r.fired)).toEqual([0, 0]);
    expect((await supervision.engine.sweep('2026-11-25')).byRule).not.toHaveProperty('statutory.passed');
    const messages = await db.selectFrom('inbox_message').select(['title', 'body']).where('recipient_id', '=', handler.id).where('module', '=', 'supervision').execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toContain('超法定时限（红牌）');
    const texts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_message WHERE to_number = '13912345678' AND purpose = 'supervision.warning'`.execute(db);
    expect(texts.rows[0]!.n).toBe(1);
  });

  it('tells the department administrators when the case has no handler', async () => {
    const dept = await newDepartment(db, { regionCode: '650521', name: '巴里坤哈萨克自治县民政局' });
    const admin = await newUser(db, { departmentId: dept.id, phone: '13987654321', grants: [{ role: 'department_admin', regionCode: '650521' }] });
    const staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
    const own = await newItem(db, { departmentId: dept.id, name: '最低生活保障审核确认' });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-12-20' }, own);
    expect((await evaluate(c.id, '2026-11-25')).fired).toBe(1);
    await drainNotices();
    const inbox = async (userId: string) => (await db.selectFrom('inbox_message').select('title').where('recipient_id', '=', userId).where('module', '=', 'supervision').execute()).map((m) => m.title);
    expect(await inbox(admin.id)).toEqual([expect.stringMatching(/巴里坤哈萨克自治县民政局 最低生活保障审核确认 .* 超承诺时限（黄牌）/)]);
    expect(await inbox(staff.id)).toEqual([]);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supervision.warning.fire' AND object_id = ${c.id}`.execute(db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('sends one case\'s notices from its outbox event, once however often the event is handled', async () => {
    const handler = await newUser(db, { departmentId: department.id, phone: '13911112222', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-11-23', handlerId: handler.id });
    expect((await evaluate(c.id, '2026-11-25')).byRule).toEqual({ 'promised.passed': 1, 'statutory.passed': 1 });
    const stored = await db.selectFrom('supervision_warning').select(['id', 'notice_pending']).where('subject_id', '=', c.id).orderBy('id').execute();
    expect(stored.map((w) => w.notice_pending)).toEqual([true, true]);
    // a firing evaluation's transaction commits without waiting for its WAL flush (the job's completion flushes it: D150)
    const other = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-12-23' });
    const commitMode = await db.transaction().execute(async (trx) => {
      const before = (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit;
      expect((await supervision.engine.evaluateCase(trx, other.id, '2026-11-25')).fired).toBe(1);
      return [before, (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit];
    });
    expect(commitMode).toEqual(['on', 'off']);
    expect((await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)).rows[0]!.synchronous_commit).toBe('on');
    // one event for the case's new warnings, committed with them; nothing sent yet
    const [event] = await noticeEvents(stored[0]!.id);
    expect(event!.payload).toEqual({ ids: stored.map((w) => w.id) });
    const inboxOf = () => db.selectFrom('inbox_message').select(['title', 'body']).where('recipient_id', '=', handler.id).where('module', '=', 'supervision').execute();
    const textsTo = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_message WHERE to_number = '13911112222' AND purpose = 'supervision.warning'`.execute(db)).rows[0]!.n;
    const audits = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supervision.warning.fire' AND object_id = ${c.id}`.execute(db)).rows[0]!.n;
    expect([await inboxOf(), await textsTo(), await audits()]).toEqual([[], 0, 0]);
    await drainNotices();
    expect(await inboxOf()).toEqual([{ title: expect.stringContaining('新增 2 条预警'), body: expect.stringContaining('超法定时限（红牌）') }]);
    expect([await textsTo(), await audits()]).toEqual([1, 1]);
    expect((await noticeEvents(stored[0]!.id))[0]!.state).toBe('done');
    // the event delivered again (at least once), twice at once: nothing more is sent or audited
    const message = { id: 'again', topic: NOTICES_TOPIC, key: stored[0]!.id, payload: event!.payload, attempt: 2 };
    await Promise.all([noticesHandler()(message), noticesHandler()(message)]);
    expect([(await inboxOf()).length, await textsTo(), await audits()]).toEqual([1, 1, 1]);
    expect(await db.selectFrom('supervision_warning').select('notice_pending').where('subject_id', '=', c.id).execute()).toEqual([{ notice_pending: false }, { notice_pending: false }]);
    // evaluated again: nothing new, no new event
    expect((await evaluate(c.id, '2026-11-26')).fired).toBe(0);
  });

  it('leaves neither warning nor notice when the case\'s transaction rolls back', async () => {
    const handler = await newUser(db, { departmentId: department.id, phone: '13933334444', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-12-23', handlerId: handler.id });
    const crash = new Error('crash after the evaluation');
    let firstId: string | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        expect((await supervision.engine.evaluateCase(trx, c.id, '2026-11-25')).fired).toBe(1);
        firstId = (await trx.selectFrom('supervision_warning').select('id').where('subject_id', '=', c.id).executeTakeFirstOrThrow()).id;
        expect(await trx.selectFrom('job').select('id').where('unique_key', '=', firstId).execute()).toHaveLength(1);
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await rulesOf(c.id)).toEqual([]);
    expect(await noticeEvents(firstId!)).toEqual([]);
    await drainNotices();
    expect(await db.selectFrom('inbox_message').select('id').where('recipient_id', '=', handler.id).execute()).toEqual([]);
    // the outbox redelivers the case change: the evaluation fires it then, with its notices
    expect((await evaluate(c.id, '2026-11-25')).fired).toBe(1);
    await drainNotices();
    expect(await db.selectFrom('inbox_message').select('title').where('recipient_id', '=', handler.id).execute()).toEqual([{ title: expect.stringContaining('超承诺时限（黄牌）') }]);
  });

  it('sends the notices whose outbox event gave up from the resend job, once, and leaves fresh ones to their event', async () => {
    const handler = await newUser(db, { departmentId: department.id, phone: '13955556666', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-11-23', handlerId: handler.id });
    expect((await evaluate(c.id, '2026-11-25')).fired).toBe(2);
    const ids = (await db.selectFrom('supervision_warning').select('id').where('subject_id', '=', c.id).orderBy('id').execute()).map((w) => w.id);
    // the event failed every attempt (the worker leaves its job failed)
    await db.updateTable('job').set({ state: 'failed' }).where('name', '=', `${OUTBOX_JOB_PREFIX}${NOTICES_TOPIC}`).where('unique_key', '=', ids[0]!).execute();
    const inboxOf = () => db.selectFrom('inbox_message').select('title').where('recipient_id', '=', handler.id).where('module', '=', 'supervision').execute();
    const textsTo = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_message WHERE to_number = '13955556666' AND purpose = 'supervision.warning'`.execute(db)).rows[0]!.n;
    const resentAudits = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supervision.warning.fire' AND detail->'warnings' @> jsonb_build_array(${ids[0]!}::text) AND (detail->>'resent')::boolean`.execute(db)).rows[0]!.n;
    const pending = async () => (await db.selectFrom('supervision_warning').select('notice_pending').where('subject_id', '=', c.id).execute()).map((w) => w.notice_pending);
    // fired just now: still the event's to send (its retries span about 9 minutes), not the resend job's
    await supervision.engine.resendStaleNotices();
    expect([await inboxOf(), await textsTo(), await pending()]).toEqual([[], 0, [true, true]]);
    // half an hour on, two nodes run the job at once: one sends both warnings' notices, the other finds nothing
    await db.updateTable('supervision_warning').set({ fired_at: new Date(Date.now() - 31 * 60_000) }).where('subject_id', '=', c.id).execute();
    await Promise.all([supervision.engine.resendStaleNotices(), serviceOn(db).engine.resendStaleNotices()]);
    expect(await inboxOf()).toEqual([{ title: expect.stringContaining('新增 2 条预警') }]);
    expect([await textsTo(), await resentAudits(), await pending()]).toEqual([1, 1, [false, false]]);
    // again, and the event retried by an operator: nothing more is sent
    await supervision.engine.resendStaleNotices();
    await noticesHandler()({ id: 'retried', topic: NOTICES_TOPIC, key: ids[0]!, payload: { ids }, attempt: 11 });
    expect([(await inboxOf()).length, await textsTo(), await resentAudits()]).toEqual([1, 1, 1]);
  });

  it('is evaluated for one case only by the case-change outbox handler, whose job completion makes its commit durable (D150)', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const sources = (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const callers = sources.filter((f) => /\.evaluateCase\(/.test(fs.readFileSync(path.join(root, 'src', f), 'utf8')));
    expect(callers).toEqual([path.join('modules', 'supervision', 'module.ts')]);
    const manifest = fs.readFileSync(path.join(root, 'src/modules/supervision/module.ts'), 'utf8');
    const call = manifest.indexOf('.evaluateCase(');
    expect(manifest.indexOf('.evaluateCase(', call + 1)).toBe(-1);
    // inside the outbox handler of CASE_CHANGED_TOPIC, before the next part of the manifest
    const handler = manifest.indexOf('[CASE_CHANGED_TOPIC]: async');
    expect(manifest.lastIndexOf('outboxHandlers:', call)).toBeGreaterThan(-1);
    expect(handler).toBeGreaterThan(manifest.lastIndexOf('outboxHandlers:', call));
    expect(call).toBeGreaterThan(handler);
    expect(manifest.indexOf('\n    },', handler)).toBeGreaterThan(call);
  });

  it('keeps a resend that cannot be sent whole: nothing sent, the warnings still pending for the next run', async () => {
    const handler = await newUser(db, { departmentId: department.id, phone: '13977778888', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-12-23', handlerId: handler.id });
    expect((await evaluate(c.id, '2026-11-25')).fired).toBe(1);
    await db.updateTable('supervision_warning').set({ fired_at: new Date(Date.now() - 31 * 60_000) }).where('subject_id', '=', c.id).execute();
    const broken = serviceOn(db);
    const failure = new Error('SMS gateway refused');
    (broken.engine as unknown as { deps: { sms: { sendMany: () => Promise<never> } } }).deps.sms = { sendMany: () => Promise.reject(failure) };
    await expect(broken.engine.resendStaleNotices()).rejects.toBe(failure);
    expect(await db.selectFrom('inbox_message').select('id').where('recipient_id', '=', handler.id).execute()).toEqual([]);
    expect((await db.selectFrom('supervision_warning').select('notice_pending').where('subject_id', '=', c.id).execute()).map((w) => w.notice_pending)).toEqual([true]);
    await supervision.engine.resendStaleNotices();
    expect(await db.selectFrom('inbox_message').select('title').where('recipient_id', '=', handler.id).execute()).toEqual([{ title: expect.stringContaining('超承诺时限（黄牌）') }]);
  });

  it.runIf(inject('testDatabaseUrl'))('on PostgreSQL: one case\'s statement waits for a sweep\'s exclusive rules lock before it writes', async () => {
    const c = await makeCase({ state: 'reviewing', promisedDue: '2026-11-20', statutoryDue: '2026-12-23' });
    let evaluated = false;
    let evaluation: Promise<unknown> | undefined;
    await db.transaction().execute(async (sweep) => {
      await sql`SELECT pg_advisory_xact_lock(${RULES_LOCK})`.execute(sweep);
      evaluation = evaluate(c.id, '2026-11-25').then(() => (evaluated = true));
      // the statement waits for the lock before it writes: its backend has no transaction id yet (the first write takes one)
      const waiting = async () => (await sql<{ pid: number }>`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ${RULES_LOCK}`.execute(sweep)).rows;
      await expect.poll(async () => (await waiting()).length).toBe(1);
      const [{ pid }] = (await waiting()) as [{ pid: number }];
      expect(evaluated).toBe(false);
      const xids = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE pid = ${pid} AND locktype = 'transactionid'`.execute(sweep);
      expect(xids.rows[0]!.n).toBe(0);
    });
    await evaluation;
    expect(await rulesOf(c.id)).toEqual(['promised.passed']);
  });
});
