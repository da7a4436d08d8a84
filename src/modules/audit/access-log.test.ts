// The personal-data access log: reads recorded in batches, anchored in the chain, browsable, verifiable.
import { Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import { newUser } from '../../../test/support/factories.ts';
import { pgPoolOf, postgresDialect } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { ManualClock } from '../../platform/clock.ts';
import { requireScope } from '../../shared/access.ts';
import { AccessLog } from './access-service.ts';
import { ACCESS_BATCH_ACTION, AccessLogWriter, batchHash } from './access-log.ts';
import { AuditService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let admin: Client;
let auditor: Client;
let otherCounty: Client;
let subject: { id: string };

beforeAll(async () => {
  ({ db } = await testDb());
  await testApp();
  admin = await signedInWith([{ role: 'department_admin', regionCode: '650502' }]);
  auditor = await signedInWith([{ role: 'auditor', regionCode: '650502' }]);
  otherCounty = await signedInWith([{ role: 'auditor', regionCode: '650521' }]);
  subject = await newUser(db, { regionCode: '650502' });
});

describe('recordAccess', () => {
  it('records a directory read with the permission and scope used, in a batch whose hash the chain anchors', async () => {
    const res = await admin.get(`/api/users/${subject.id}`);
    expect(res.statusCode).toBe(200);
    const rows = await db.selectFrom('audit_access').selectAll().where(sql<boolean>`subject_ids @> ${JSON.stringify([subject.id])}::jsonb`).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resource: 'user', permission: 'users.read', role: 'department_admin', region_code: '650502', scope: { permission: 'users.read', paths: ['/6505/650502/'] } });
    expect(rows[0]!.fields).toContain('phone');
    // no chain record per read: the batch's anchor instead, whose hash covers the rows as stored
    const perRead = await db.selectFrom('audit_log').select('seq').where('action', '=', 'user.read').where('object_id', '=', subject.id).execute();
    expect(perRead).toEqual([]);
    const anchor = await db.selectFrom('audit_log').selectAll().where('action', '=', ACCESS_BATCH_ACTION).where('object_id', '=', rows[0]!.batch_id).executeTakeFirstOrThrow();
    const batch = await db.selectFrom('audit_access').selectAll().where('batch_id', '=', rows[0]!.batch_id).execute();
    expect(anchor.detail).toMatchObject({ rows: batch.length, hash: batchHash(batch) });
  });

  it('batches concurrent reads: 40 reads at once take far fewer chain records, and each read returns after its batch committed', async () => {
    const before = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', ACCESS_BATCH_ACTION).executeTakeFirstOrThrow();
    const reads = await Promise.all(Array.from({ length: 40 }, () => admin.get(`/api/users?q=${subject.id.slice(0, 4)}`)));
    expect(reads.every((r) => r.statusCode === 200)).toBe(true);
    // every read is in the log the moment its response exists
    const logged = await db.selectFrom('audit_access').select('request_id').where('resource', '=', 'user.list').execute();
    for (const r of reads) expect(logged.map((l) => l.request_id)).toContain(r.headers['x-request-id']);
    const after = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', ACCESS_BATCH_ACTION).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBeLessThan(20);
  });

  it('fails the read (503) rather than hand out data it could not record', async () => {
    const { services } = await testApp();
    const log = new AccessLog(db, new ManualClock('2026-11-25T03:00:00Z'));
    const { id } = subject;
    const ctx = { actor: { userId: id, username: 'x', displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const }, clientAddr: null, requestId: null, audited: false };
    const scope = requireScope(ctx.actor, 'users.read');
    // a region code longer than the column: the database refuses the batch; the read batched with it is still written
    const goodCtx = { ...ctx, requestId: `good-${id}` };
    const [bad, good] = await Promise.allSettled([
      log.record(ctx, { resource: 'user', subjectIds: [id], fields: [], permission: 'users.read', scope, regionCode: 'X'.repeat(20) }),
      log.record(goodCtx, { resource: 'user', subjectIds: [id], fields: [], permission: 'users.read', scope }),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'audit.access_log_unavailable', kind: 'unavailable' } });
    expect(good.status).toBe('fulfilled');
    expect(ctx.audited).toBe(false);
    expect(goodCtx.audited).toBe(true);
    expect(await db.selectFrom('audit_access').select('resource').where('request_id', '=', `good-${id}`).execute()).toHaveLength(1);
    await services.audit.drainAccessLog();
  });

  it('two nodes (two writers) batching at once anchor every batch in one intact chain', async () => {
    const actor = { userId: subject.id, username: 'x', displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const };
    const scope = requireScope(actor, 'users.read');
    const tag = `two-nodes-${subject.id}`;
    const nodes = [new AccessLog(db, new ManualClock('2026-11-25T03:00:00Z')), new AccessLog(db, new ManualClock('2026-11-25T03:00:01Z'))];
    await Promise.all(nodes.flatMap((node, n) => Array.from({ length: 20 }, (_, i) => node.record({ actor, clientAddr: null, requestId: `${tag}-${n}-${i}`, audited: false }, { resource: 'test', subjectIds: [], fields: [], permission: 'users.read', scope }))));
    const rows = await db.selectFrom('audit_access').select('batch_id').where('request_id', 'like', `${tag}-%`).execute();
    expect(rows).toHaveLength(40);
    const batches = new Set(rows.map((r) => r.batch_id));
    expect(batches.size).toBeLessThan(40);
    const anchors = await db.selectFrom('audit_log').select('object_id').where('action', '=', ACCESS_BATCH_ACTION).where('object_id', 'in', [...batches]).execute();
    expect(anchors).toHaveLength(batches.size);
    expect(await new AuditService(db).verify()).toMatchObject({ ok: true });
  });

  it.runIf(inject('testDatabaseUrl'))('on PostgreSQL: the next batch does not queue for a pool connection behind other work; the connection goes back once nothing waits', async () => {
    // a pool of one connection: without the writer keeping it, the waiting checkout below would take it first and
    // the second batch would wait for that holder
    const small = new Kysely<Database>({ dialect: postgresDialect(inject('testDatabaseUrl')!, 1) });
    try {
      const pool = pgPoolOf(small)!;
      const writer = new AccessLogWriter(small, new ManualClock('2026-11-25T03:00:00Z'));
      const tag = `held-${subject.id}`;
      const entry = (n: number) => ({
        at: new Date('2026-11-25T03:00:00Z'), actorId: subject.id, actorName: 'x', departmentId: null, role: null, permission: 'users.read', scope: {},
        resource: 'test', subjectIds: [], fields: [], regionCode: null, clientAddr: null, requestId: `${tag}-${n}`, detail: null,
      });
      await writer.ensurePartitions([new Date('2026-11-25T03:00:00Z')]);
      const first = writer.write(entry(1));
      await new Promise((resolve) => setTimeout(resolve, 0)); // the first batch has taken the pool's only connection
      let otherGotIt = false;
      const other = pool.connect().then((client) => {
        otherGotIt = true;
        return client;
      });
      const second = writer.write(entry(2));
      await Promise.all([first, second]);
      expect(otherGotIt).toBe(false);
      const rows = await db.selectFrom('audit_access').select('batch_id').where('request_id', 'like', `${tag}-%`).execute();
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.batch_id)).size).toBe(2);
      // idle again: the connection is back in the pool, and the waiting checkout has it
      await writer.drain();
      (await other).release();
      expect(otherGotIt).toBe(true);
    } finally {
      await small.destroy();
    }
  });

  it('stores odd text exactly (quotes, backslashes, NUL, lone surrogates, $$, E-string escapes) and the batch and chain verify', async () => {
    const actor = { userId: subject.id, username: "o'brien\\x", displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const };
    const scope = requireScope(actor, 'users.read');
    const odd = ["it's", 'back\\slash\\\'', 'nul\u0000here', 'lone\ud800', '$$ dollar $q$', "'); DROP TABLE audit_log; --", '\\x27 \\n \\u0041', '😀 哈密', '"quoted"'];
    const tag = `odd-${subject.id}`;
    const log = new AccessLog(db, new ManualClock('2026-11-25T03:00:00Z'));
    await Promise.all(
      odd.map((text, i) =>
        log.record(
          { actor, clientAddr: text.slice(0, 30), requestId: `${tag}-${i}`, audited: false },
          { resource: 'test', subjectIds: [text, `${i}`], fields: [text], permission: 'users.read', scope, detail: { [text]: text, nested: [text, { deep: text }] } },
        ),
      ),
    );
    const rows = await db.selectFrom('audit_access').selectAll().where('request_id', 'like', `${tag}-%`).orderBy('request_id').execute();
    expect(rows).toHaveLength(odd.length);
    const stored = (text: string) => text.replaceAll('\u0000', '\u2400').replace(/\ud800(?![\udc00-\udfff])/g, '\ufffd');
    for (const row of rows) {
      const text = odd[Number(row.request_id!.slice(tag.length + 1))]!;
      expect(row.subject_ids[0]).toBe(stored(text));
      expect(row.fields).toEqual([stored(text)]);
      expect(row.actor_name).toBe("o'brien\\x");
      expect(row.detail).toEqual({ [stored(text)]: stored(text), nested: [stored(text), { deep: stored(text) }] });
    }
    expect(await new AuditService(db).verify()).toMatchObject({ ok: true });
  });

  it('creates the month partition a read falls in, and the next ones, before writing it', async () => {
    const clock = new ManualClock('2031-03-15T00:00:00Z');
    const log = new AccessLog(db, clock);
    const actor = { userId: subject.id, username: 'x', displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const };
    await log.record({ actor, clientAddr: null, requestId: null, audited: false }, { resource: 'test', subjectIds: [], fields: [], permission: 'users.read', scope: requireScope(actor, 'users.read') });
    const { rows } = await sql<{ name: string | null }>`SELECT to_regclass('audit_access_y2031m03')::text AS name UNION ALL SELECT to_regclass('audit_access_y2031m05')::text`.execute(db);
    expect(rows.map((r) => r.name)).toEqual(['audit_access_y2031m03', 'audit_access_y2031m05']);
  });
});

describe('browsing the access log', () => {
  it('shows who read a person, within the jurisdiction; the browsing is recorded too', async () => {
    await admin.get(`/api/users/${subject.id}`);
    const res = await auditor.get(`/api/audit/access?subject=${subject.id}&limit=1`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items[0]).toMatchObject({ resource: 'user', permission: 'users.read', subjectIds: [subject.id], regionCode: '650502' });
    expect(body.nextCursor).not.toBeNull();
    const next = (await auditor.get(`/api/audit/access?subject=${subject.id}&limit=1&cursor=${body.nextCursor}`)).json();
    expect(next.items[0].at <= body.items[0].at).toBe(true);
    expect((await otherCounty.get(`/api/audit/access?subject=${subject.id}`)).json().items).toEqual([]);
    const bad = await auditor.get('/api/audit/access?cursor=abc');
    expect(bad.statusCode).toBe(400);
    expect(await db.selectFrom('audit_access').select('resource').where('resource', '=', 'audit_access').execute()).not.toEqual([]);
  });

  it('filters reads made outside working hours (Asia/Shanghai)', async () => {
    const night = await newUser(db, { regionCode: '650502' });
    const actor = { userId: subject.id, username: 'x', displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const };
    const read = async (iso: string) =>
      new AccessLog(db, new ManualClock(iso)).record({ actor, clientAddr: null, requestId: null, audited: false }, { resource: 'user', subjectIds: [night.id], fields: [], permission: 'users.read', scope: requireScope(actor, 'users.read'), detail: { iso } });
    await read('2026-11-25T14:30:00Z'); // Wed 22:30 in Shanghai
    await read('2026-11-25T03:00:00Z'); // Wed 11:00
    await read('2026-11-28T02:00:00Z'); // Sat 10:00
    const items = (await auditor.get(`/api/audit/access?subject=${night.id}&afterHours=true`)).json().items as { detail: { iso: string } }[];
    expect(items.map((i) => i.detail.iso)).toEqual(['2026-11-28T02:00:00Z', '2026-11-25T14:30:00Z']);
    // the console's alerts tab lists these beside the chain's alerts: an auditor of another county sees none of them
    expect((await otherCounty.get(`/api/audit/access?subject=${night.id}&afterHours=true`)).json().items).toEqual([]);
  });

  it('takes rest days from the working calendar: a 国庆 weekday is after hours, a 调休 Saturday is not', async () => {
    const festive = await newUser(db, { regionCode: '650502' });
    const actor = { userId: subject.id, username: 'x', displayName: 'x', kind: 'staff' as const, departmentId: null, grants: [{ role: 'auditor' as const, regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' as const };
    const read = async (iso: string) =>
      new AccessLog(db, new ManualClock(iso)).record({ actor, clientAddr: null, requestId: null, audited: false }, { resource: 'user', subjectIds: [festive.id], fields: [], permission: 'users.read', scope: requireScope(actor, 'users.read'), detail: { iso } });
    await read('2026-10-02T02:00:00Z'); // Fri 10:00, 国庆 holiday: a rest day
    await read('2026-10-10T02:00:00Z'); // Sat 10:00, 调休 make-up workday: working hours
    await read('2026-10-12T02:00:00Z'); // Mon 10:00, ordinary working day
    const items = (await auditor.get(`/api/audit/access?subject=${festive.id}&afterHours=true`)).json().items as { detail: { iso: string } }[];
    expect(items.map((i) => i.detail.iso)).toEqual(['2026-10-02T02:00:00Z']);
  });

  it('the audit trail read is recorded in the access log, not as a chain record per read', async () => {
    const res = await auditor.get('/api/audit?limit=5');
    expect(res.statusCode).toBe(200);
    const row = await db.selectFrom('audit_access').selectAll().where('request_id', '=', res.headers['x-request-id'] as string).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ resource: 'audit_log', permission: 'audit.read', role: 'auditor' });
  });
});

describe('verification covers the access log', () => {
  it('is intact, then reports an altered row and a row added behind the chain', async () => {
    await admin.get(`/api/users/${subject.id}`);
    const { services } = await testApp();
    await services.audit.drainAccessLog();
    const intact = await new AuditService(db).verify();
    expect(intact).toMatchObject({ ok: true });
    expect(intact.accessLog!.rows).toBeGreaterThan(0);
    const row = await db.selectFrom('audit_access').selectAll().where(sql<boolean>`subject_ids @> ${JSON.stringify([subject.id])}::jsonb`).limit(1).executeTakeFirstOrThrow();
    await inRolledBackTransaction(db, async (trx) => {
      await expect(trx.deleteFrom('audit_access').where('batch_id', '=', row.batch_id).execute()).rejects.toThrow(/append-only/);
    });
    await inRolledBackTransaction(db, async (trx) => {
      await sql`ALTER TABLE audit_access DISABLE TRIGGER audit_access_no_update`.execute(trx);
      // a value unlike whatever the row held (another test's rows may have had no fields)
      await trx.updateTable('audit_access').set({ fields: JSON.stringify([...(row.fields as string[]), 'tampered']) }).where('batch_id', '=', row.batch_id).where('ord', '=', row.ord).execute();
      const result = await new AuditService(trx).verify();
      expect(result.ok).toBe(false);
      expect(result.brokenAt!.reason).toMatch(/altered/);
    });
    await inRolledBackTransaction(db, async (trx) => {
      await trx.insertInto('audit_access').values({ ...row, batch_id: '00000000-0000-4000-8000-000000000001', scope: JSON.stringify(row.scope), subject_ids: JSON.stringify(row.subject_ids), fields: JSON.stringify(row.fields), detail: null }).execute();
      const result = await new AuditService(trx).verify();
      expect(result).toMatchObject({ ok: false, brokenAt: { reason: expect.stringMatching(/1 access log rows belong to no batch/) } });
    });
  });
});
