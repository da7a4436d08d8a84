// The public channels through the real app on the run's database: the progress lookup (no oracle, rate limit,
// captcha after misses), the disclosure list (masking, search, paging), the big screen's snapshot, text feed and live
// SSE stream, and the applicant's SMS once per (case, seq) however often the event is delivered.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { makeIdNumber } from '../../../test/support/community-factories.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import type { PublicityService } from './service.ts';

let db: Kysely<Database>;
let app: App;
let publicity: PublicityService;
const today = chinaDate(new Date());

/** Each test speaks from its own address (trusted X-Forwarded-For), so per-address limits do not meet. */
const address = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const get = (url: string, from = address()) => app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': from } });

beforeAll(async () => {
  ({ db } = await testDb());
  const built = await buildApp({ db, config: testConfig({ trustProxy: true }), serveWeb: false });
  app = built.app;
  publicity = (built.services as unknown as { publicity: PublicityService }).publicity;
});

afterAll(async () => {
  await app.close();
});

describe('progress lookup', () => {
  it('answers the case number with the applicant’s name or ID number: state, steps, clocks, what 补正 asks for', async () => {
    const item = await newItem(db, { regionCode: '650502', name: uniq('食品经营许可') });
    const idNumber = makeIdNumber('1985-03-12', 'F');
    const c = await newCase(db, item, { state: 'accepted', applicantName: '李秀英', applicantIdNumber: idNumber, acceptedOn: '2026-11-02', statutoryDue: '2026-12-30', promisedDue: '2026-11-16', pausedSince: '2026-11-10', stepsDone: ['accept'] });
    await db.insertInto('approval_case_pause').values({ case_id: c.id, kind: 'correction', special_kind: null, reason: '补交营业执照副本复印件', started_on: '2026-11-10' }).execute();

    const byName = await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('李秀英')}`);
    expect(byName.statusCode).toBe(200);
    const p = byName.json();
    expect(p).toMatchObject({ caseNo: c.case_no, item: item.name, state: 'accepted', paused: true, pausedSince: '2026-11-10', correction: { asks: '补交营业执照副本复印件', since: '2026-11-10' } });
    // paused since 11-10, before the promised day 11-16: not overdue, the days left counted from the pause
    expect(p.promised).toMatchObject({ due: '2026-11-16', overdue: false, remainingWorkingDays: 4 });
    expect(p.statutory.overdue).toBe(false);
    expect(p.steps.map((s: { step: string }) => s.step)).toEqual(['accept', 'review', 'decide', 'conclude', 'deliver']);
    expect(p.steps[0].completedOn).toBe('2026-11-02');
    expect(p.timeline.map((e: { state: string }) => e.state)).toEqual(['submitted', 'accepted']);
    expect(JSON.stringify(p)).not.toContain(idNumber);

    const byId = await get(`/api/public/progress?caseNo=${c.case_no}&idNumber=${idNumber.toLowerCase()}`);
    expect(byId.statusCode).toBe(200);
  });

  it('derives overdue with the clock SQL for a running case past its day', async () => {
    const item = await newItem(db, { regionCode: '650502' });
    const c = await newCase(db, item, { state: 'reviewing', applicantName: '王建国', acceptedOn: '2026-10-08', statutoryDue: '2026-11-05', promisedDue: '2026-10-22' });
    const p = (await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('王建国')}`)).json();
    expect(p.statutory).toMatchObject({ due: '2026-11-05', overdue: true });
    expect(p.statutory.remainingWorkingDays).toBeLessThan(0);
    expect(p.promised.overdue).toBe(true);
  });

  it('gives the same 404 for an unknown number, a wrong name and a wrong ID number (no oracle)', async () => {
    const item = await newItem(db, { regionCode: '650502' });
    const c = await newCase(db, item, { applicantName: '赵敏' });
    const answers = await Promise.all([
      get(`/api/public/progress?caseNo=HM${uniq()}&name=${encodeURIComponent('赵敏')}`),
      get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('赵明')}`),
      get(`/api/public/progress?caseNo=${c.case_no}&idNumber=650502199001010000`),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      const body = res.json();
      expect({ code: body.code, field: body.field, detail: body.detail }).toEqual({ code: 'publicity.case_not_found', field: 'caseNo', detail: answers[0]!.json().detail });
    }
  });

  it('refuses bad input naming the field, and both or neither of name and ID number', async () => {
    const bad = await get('/api/public/progress?caseNo=HM%27%3B--&name=x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('caseNo');
    const neither = await get('/api/public/progress?caseNo=HM12345');
    expect(neither.json()).toMatchObject({ code: 'publicity.applicant_required', field: 'name' });
    const both = await get(`/api/public/progress?caseNo=HM12345&name=a&idNumber=650502199001010000`);
    expect(both.json()).toMatchObject({ code: 'publicity.applicant_required' });
  });

  it('asks for a captcha after repeated misses from one address, and accepts a solved one', async () => {
    const from = address();
    const item = await newItem(db, { regionCode: '650502' });
    const c = await newCase(db, item, { applicantName: '孙丽' });
    for (let i = 0; i < 5; i++) expect((await get(`/api/public/progress?caseNo=HM${uniq()}&name=x`, from)).statusCode).toBe(404);
    const blocked = await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('孙丽')}`, from);
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json()).toMatchObject({ code: 'publicity.captcha_required', field: 'captchaAnswer' });
    // another address is not held up
    expect((await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('孙丽')}`)).statusCode).toBe(200);
    // the sign-in captcha, solved (its answer's hash written as the accounts module stores it)
    const id = randomUUID();
    await db.insertInto('sign_in_captcha').values({ id, answer_hash: createHash('sha256').update(`${id}:K7PM`).digest('hex'), expires_at: new Date(Date.now() + 60_000) }).execute();
    const wrong = await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('孙丽')}&captchaId=${randomUUID()}&captchaAnswer=K7PM`, from);
    expect(wrong.json()).toMatchObject({ code: 'publicity.captcha_wrong', field: 'captchaAnswer' });
    const solved = await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('孙丽')}&captchaId=${id}&captchaAnswer=k7pm`, from);
    expect(solved.statusCode).toBe(200);
    // used up: the same captcha again is wrong
    expect((await get(`/api/public/progress?caseNo=${c.case_no}&name=${encodeURIComponent('孙丽')}&captchaId=${id}&captchaAnswer=K7PM`, from)).json().code).toBe('publicity.captcha_wrong');
  });

  it('limits lookups per address (429 with Retry-After), concurrent ones included', async () => {
    const from = address();
    const answers = await Promise.all(Array.from({ length: 30 }, () => get('/api/public/progress?caseNo=HM0000&idNumber=650502199001010000', from)));
    const limited = answers.filter((r) => r.statusCode === 429);
    expect(answers.filter((r) => r.statusCode !== 429).length).toBe(20);
    expect(limited[0]!.json()).toMatchObject({ code: 'publicity.rate_limited' });
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('disclosure', () => {
  it('lists concluded approvals: enterprises in full, natural persons masked, never ID numbers; searchable and paged', async () => {
    const itemName = uniq('建设工程规划许可');
    const item = await newItem(db, { regionCode: '650502', name: itemName });
    const person = await newCase(db, item, { state: 'concluded', applicantName: '张伟强', concludedOn: '2026-11-20', decision: 'approve' });
    const firm = await newCase(db, item, { state: 'concluded', applicantName: '哈密市天山建筑有限公司', concludedOn: '2026-11-21', decision: 'deny' });
    await db.updateTable('approval_case').set({ applicant_kind: 'enterprise' }).where('id', '=', firm.id).execute();
    await newCase(db, item, { state: 'reviewing' });

    const res = await get(`/api/public/approvals?q=${encodeURIComponent(itemName)}&limit=1`);
    expect(res.statusCode).toBe(200);
    const first = res.json();
    expect(first.items).toEqual([expect.objectContaining({ id: firm.id, applicant: '哈密市天山建筑有限公司', applicantKind: 'enterprise', decision: 'deny', concludedOn: '2026-11-21', item: itemName })]);
    const second = (await get(`/api/public/approvals?q=${encodeURIComponent(itemName)}&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items).toEqual([expect.objectContaining({ id: person.id, applicant: '张**', decision: 'approve' })]);
    expect(second.nextCursor).toBeNull();
    expect(JSON.stringify([first, second])).not.toContain(person.applicant_id_number);
    // a cursor this API did not issue is a 400 naming it
    const forged = Buffer.from(JSON.stringify(['not-a-date', 'x'])).toString('base64url');
    expect((await get(`/api/public/approvals?cursor=${forged}`)).json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
  });
});

describe('big screen', () => {
  it('shows today’s counts by county, the latest warnings and the latest published ranking; the feed in GBK', async () => {
    const item = await newItem(db, { regionCode: '650502' });
    const before = (await get('/api/public/bigscreen')).json();
    await newCase(db, item, { state: 'accepted', acceptedOn: today });
    const summary = `测试预警${uniq()}`;
    await db.insertInto('supervision_warning').values({ subject_kind: 'case', subject_id: randomUUID(), rule: 'statutory.red', level: 'red', department_id: item.department_id, region_code: item.region_code, region_path: item.region_path, fired_on: today, summary }).execute();
    await db
      .insertInto('evaluation_score')
      .values({ month: '2099-01-01', department_id: item.department_id, region_code: item.region_code, region_path: item.region_path, score: 98.5, grade: 'excellent', rank: 1, published_at: new Date() })
      .execute();
    const after = (await get('/api/public/bigscreen')).json();
    const yizhou = (s: { counties: { code: string; accepted: number }[] }) => s.counties.find((c) => c.code === '650502')!.accepted;
    expect(yizhou(after)).toBeGreaterThanOrEqual(yizhou(before) + 1);
    expect(after.warnings[0]).toMatchObject({ summary, level: 'red' });
    expect(after.rankingMonth).toBe('2099-01');
    expect(after.ranking[0]).toMatchObject({ rank: 1, score: 98.5, grade: 'excellent' });

    const feed = await get('/api/public/bigscreen/feed.txt?charset=gbk');
    expect(feed.headers['content-type']).toBe('text/plain; charset=GBK');
    const text = iconv.decode(feed.rawPayload, 'gbk');
    expect(text).toContain('伊州区 受理');
    expect(text.split('\r\n').every((line) => [...line].length <= 20)).toBe(true);
    expect((await get('/api/public/bigscreen/feed.txt')).body).toContain(`哈密市政务服务 ${today}`);
    await db.deleteFrom('evaluation_score').where('month', '=', '2099-01-01').execute();
  });

  it('pushes a change over server-sent events', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/public/bigscreen/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextSnapshot = async () => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as { accepted: number; concluded: number };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextSnapshot();
    const item = await newItem(db, { regionCode: '650521' });
    const changedAt = Date.now();
    await newCase(db, item, { state: 'concluded', acceptedOn: '2026-11-02', concludedOn: today, decision: 'approve' });
    let next = await nextSnapshot();
    while (next.concluded < first.concluded + 1) next = await nextSnapshot();
    expect(Date.now() - changedAt).toBeLessThan(2_000);
    controller.abort();
  });
});

describe('SMS to applicants', () => {
  const phone = () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const sent = (to: string) => db.selectFrom('sms_message').select(['body', 'template_code', 'purpose']).where('to_number', '=', to).execute();

  it('sends once per (case, seq) however often the event is delivered, at once or later', async () => {
    const item = await newItem(db, { regionCode: '650502', name: uniq('个体工商户登记') });
    const to = phone();
    const c = await newCase(db, item, { state: 'accepted', applicantName: '马建华', applicantPhone: to });
    const change = { caseId: c.id, seq: 2, action: 'accept' };
    await Promise.all([publicity.onCaseChanged(change), publicity.onCaseChanged(change)]);
    await publicity.onCaseChanged(change);
    const messages = await sent(to);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ template_code: 'approval.accepted', purpose: 'approval.notice' });
    expect(messages[0]!.body).toContain(c.case_no);
    expect(messages[0]!.body).toContain('马建华');
    // the submission (seq 1) tells the applicant nothing
    await publicity.onCaseChanged({ caseId: c.id, seq: 1, action: 'submit' });
    expect(await sent(to)).toHaveLength(1);
  });

  it('tells what 补正 asks for, and the result at conclusion; nothing without a phone', async () => {
    const item = await newItem(db, { regionCode: '650502' });
    const to = phone();
    const c = await newCase(db, item, { state: 'accepted', applicantPhone: to });
    await db.insertInto('approval_case_event').values({ case_id: c.id, seq: 3, action: 'pause', from_state: 'accepted', to_state: 'accepted', actor_id: null, citizen_id: null, on_date: today, detail: JSON.stringify({ kind: 'correction', materials: ['房屋产权证明', '消防验收意见书'] }) }).execute();
    await publicity.onCaseChanged({ caseId: c.id, seq: 3, action: 'pause' });
    const concluded = await newCase(db, item, { state: 'concluded', applicantPhone: to, concludedOn: today, decision: 'deny' });
    await publicity.onCaseChanged({ caseId: concluded.id, seq: 2, action: 'conclude' });
    const bodies = (await sent(to)).map((m) => m.body).sort();
    expect(bodies.find((b) => b.includes('补正'))).toContain('房屋产权证明、消防验收意见书');
    expect(bodies.find((b) => b.includes('已办结'))).toContain('不予办理');

    const silent = await newCase(db, item, { state: 'accepted', applicantPhone: null });
    await publicity.onCaseChanged({ caseId: silent.id, seq: 2, action: 'accept' });
    expect(await db.selectFrom('publicity_sms_sent').select('seq').where('case_id', '=', silent.id).execute()).toEqual([]);
  });
});
