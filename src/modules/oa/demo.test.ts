// The OA demo: documents from 哈密市人民政府办公室 to every department and to 伊州区, partly signed, and a draft; a
// second run writes nothing.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { systemClock } from '../../platform/clock.ts';
import { oaModule, type OaService } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let oa: OaService;

beforeAll(async () => {
  ({ db } = await testDb());
  oa = (await testApp()).services.oa as OaService;
});

const run = () => oaModule.demo!({ db, config: testConfig(), clock: systemClock, services: {}, service: oa }, { prefecture: '6505' });

describe('oa demo', () => {
  it('sends documents to the prefecture and to 伊州区, partly signed, once', { timeout: 120_000 }, async () => {
    let office = await db.selectFrom('department').select('id').where('name', '=', '哈密市人民政府办公室').executeTakeFirst();
    office ??= await newDepartment(db, { regionCode: '6505', name: '哈密市人民政府办公室' });
    const county = await newDepartment(db, { regionCode: '650502' });
    for (let i = 0; i < 20; i++) await newUser(db, { departmentId: county.id });
    await run();
    const docs = await db.selectFrom('oa_document').select(['id', 'status', 'recipients']).where('sender_department_id', '=', office.id).execute();
    expect(docs.filter((d) => d.status === 'sent')).toHaveLength(3);
    expect(docs.filter((d) => d.status === 'draft')).toHaveLength(1);
    const toCounty = docs.find((d) => d.recipients.regions.includes('650502'))!;
    const receipts = await sql<{ total: number; signed: number }>`SELECT count(*)::int AS total, count(signed_at)::int AS signed FROM oa_receipt WHERE document_id = ${toCounty.id}`.execute(db);
    expect(receipts.rows[0]!.total).toBeGreaterThanOrEqual(20);
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM oa_document`.execute(db)).rows[0]!.n;
    await run();
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM oa_document`.execute(db)).rows[0]!.n).toBe(before);
  });
});
