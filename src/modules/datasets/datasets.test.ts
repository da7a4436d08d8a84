// Loads through the API on the real database: formats, encodings, validation, the report, upsert/replace, atomicity,
// concurrency, progress and jurisdiction.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { newResource } from '../../../test/support/data-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { withPgClient } from '../../db/database.ts';
import { newUser } from '../../../test/support/factories.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { DatasetsService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let datasets: DatasetsService;
let admin: Client;
let staff: Client;
let stranger: Client;
let resource: { id: string; code: string; providerDepartmentId: string };

/** A valid 身份证号 of 伊州区 born 1980-01-01 with sequence n. */
export function idNo(n: number, prefix = '650502', birth = '19800101'): string {
  const first17 = `${prefix}${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}
function wrongCheck(id: string): string {
  const last = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

const HEADER = 'id_number,姓名,phone,所在区划,note';
const csvOf = (lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

function upload(client: Client, resourceRef: string, body: Buffer | string | Readable, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ name: 'data.csv', ...query }).toString();
  return client.app.inject({
    method: 'POST',
    url: `/api/datasets/resources/${resourceRef}/uploads?${qs}`,
    headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'application/octet-stream' },
    payload: body,
  });
}

const rowsOf = (resourceId: string) => db.selectFrom('data_row').selectAll().where('resource_id', '=', resourceId).orderBy('seq').execute();
const stagingOf = (loadId: string) => db.selectFrom('data_load_staging').select('row_no').where('load_id', '=', loadId).execute();
const loadRow = (loadId: string) => db.selectFrom('data_load').selectAll().where('id', '=', loadId).executeTakeFirstOrThrow();

async function freshResource() {
  return newResource(db, { providerDepartmentId: resource.providerDepartmentId });
}

beforeAll(async () => {
  const [{ app, services }, handle] = await Promise.all([testApp(), testDb()]);
  db = handle.db;
  datasets = services.datasets as DatasetsService;
  resource = await newResource(db);
  const a = await newUser(db, { departmentId: resource.providerDepartmentId, grants: [{ role: 'department_admin', regionCode: '6505' }] });
  const s = await newUser(db, { departmentId: resource.providerDepartmentId, grants: [{ role: 'department_staff', regionCode: '6505' }] });
  const o = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '6505' }] });
  [admin, staff, stranger] = await Promise.all([login(app, a.username, a.password), login(app, s.username, s.password), login(app, o.username, o.password)]);
});

describe('CSV loads', () => {
  it('validates every row, commits the accepted ones under one load and version, audits and announces it', async () => {
    const r = await freshResource();
    const csv = csvOf([
      `${idNo(1)},张三,13912345678,650502,`,
      `${idNo(2).toLowerCase()},李四,,650521,备注`,
      `${wrongCheck(idNo(3))},王五,13912345678,650502,`,
      `${idNo(4, '650502', '19801340')},赵六,13912345678,650502,`,
      `${idNo(5)},钱七,12345,650502,`,
      `${idNo(6)},孙八,13912345678,659999,`,
      `${idNo(7)},,13912345678,650502,`,
      `12345,周九,13912345678,650502,`,
    ]);
    const res = await upload(admin, r.code, csv);
    expect(res.statusCode, res.body).toBe(201);
    const load = res.json();
    expect(load).toMatchObject({ status: 'committed', version: 1, totalRows: 8, acceptedRows: 2, rejectedRows: 6, insertedRows: 2, encoding: 'utf-8', format: 'csv' });
    expect(load.bytesRead).toBe(Buffer.byteLength(csv));
    expect(load.stats.completeness).toMatchObject({ id_number: 1, phone: 0.5 });
    const rows = await rowsOf(r.id);
    expect(rows.map((x) => x.key).sort()).toEqual([idNo(1), idNo(2)].sort());
    expect(rows.every((x) => x.load_id === load.id && x.person_id === x.key)).toBe(true);
    expect(rows.find((x) => x.key === idNo(1))!.region_code).toBe('650502');
    const rejections = (await admin.get(`/api/datasets/loads/${load.id}/rejections?limit=100`)).json().items as { rowNo: number; item: string; code: string }[];
    expect(rejections.map((x) => [x.rowNo, x.item, x.code])).toEqual([
      [3, 'id_number', 'id_number_check_digit'],
      [4, 'id_number', 'id_number_birth_date'],
      [5, 'phone', 'mobile'],
      [6, 'region', 'region_code'],
      [7, 'name', 'required'],
      [8, 'id_number', 'id_number_format'],
    ]);
    const event = await db.selectFrom('job').select(['payload', 'unique_key']).where('name', '=', 'outbox:datasets.committed').where('unique_key', '=', load.id).executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ resourceId: r.id, resourceCode: r.code, loadId: load.id, version: 1, maxSeq: String(rows.at(-1)!.seq) });
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', load.id).execute();
    expect(audit.map((a) => a.action)).toContain('datasets.load_commit');
    await expect.poll(() => stagingOf(load.id)).toEqual([]);
  });

  it('reports an unknown column once and loads the rest; pages the report by cursor', async () => {
    const r = await freshResource();
    const lines = Array.from({ length: 30 }, (_, i) => `${idNo(i)},名${i},,650502,,x`);
    const res = await upload(admin, r.code, `${HEADER},extra\n${lines.join('\n')}\n`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ acceptedRows: 30, rejectedRows: 0, stats: { unknownColumns: ['extra'] } });
    const page = (await admin.get(`/api/datasets/loads/${res.json().id}/rejections?limit=1`)).json();
    expect(page.items).toEqual([{ rowNo: 0, item: 'extra', value: 'extra', code: 'unknown_column', message: expect.any(String) }]);
    expect(page.nextCursor).toBeNull();
  });

  it('a NUL byte in a cell rejects that row, not the load (reported with U+2400 in its place)', async () => {
    const r = await freshResource();
    const res = await upload(admin, r.code, csvOf([`${idNo(1)},甲\u0000乙,,650502,`, `${idNo(2)},乙,,650502,x\u0000`, `${idNo(3)},丙,,650502,`]));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ acceptedRows: 1, rejectedRows: 2 });
    const rej = (await admin.get(`/api/datasets/loads/${res.json().id}/rejections`)).json().items;
    expect(rej.map((x: { rowNo: number; item: string; code: string }) => [x.rowNo, x.item, x.code])).toEqual([
      [1, 'name', 'unstorable_text'],
      [2, 'note', 'unstorable_text'],
    ]);
    expect(rej[0].value).toBe('甲\u2400乙');
    expect((await rowsOf(r.id)).map((x) => (x.data as { name: string }).name)).toEqual(['丙']);
  });

  it('rejects later rows of a duplicate key and keeps the first', async () => {
    const r = await freshResource();
    const res = await upload(admin, r.code, csvOf([`${idNo(1)},甲,,650502,`, `${idNo(2)},乙,,650502,`, `${idNo(1)},丙,,650502,`]));
    expect(res.json()).toMatchObject({ acceptedRows: 2, rejectedRows: 1, stats: { duplicateKeys: 1 } });
    const rows = await rowsOf(r.id);
    expect(rows.map((x) => (x.data as { name: string }).name).sort()).toEqual(['乙', '甲'].sort());
    const rej = (await admin.get(`/api/datasets/loads/${res.json().id}/rejections`)).json().items;
    expect(rej).toMatchObject([{ rowNo: 3, code: 'duplicate_key', value: idNo(1) }]);
  });

  it('allOrNothing: one rejection rejects the whole load', async () => {
    const r = await freshResource();
    const res = await upload(admin, r.code, csvOf([`${idNo(1)},甲,,650502,`, `${idNo(2)},乙,bad,650502,`]), { allOrNothing: 'true' });
    expect(res.json()).toMatchObject({ status: 'rejected', acceptedRows: 0, rejectedRows: 1, version: null });
    expect(await rowsOf(r.id)).toEqual([]);
    expect(await stagingOf(res.json().id)).toEqual([]);
  });

  it('upserts by key: new keys inserted, changed rows replaced with the new load id and a later seq, unchanged rows kept', async () => {
    const r = await freshResource();
    const first = (await upload(admin, r.code, csvOf([`${idNo(1)},甲,,650502,`, `${idNo(2)},乙,,650502,`]))).json();
    const before = await rowsOf(r.id);
    const second = (await upload(admin, r.code, csvOf([`${idNo(2)},乙改,,650502,`, `${idNo(1)},甲,,650502,`, `${idNo(3)},丙,,650502,`]))).json();
    expect(second).toMatchObject({ status: 'committed', version: 2, insertedRows: 1, updatedRows: 1 });
    const after = await rowsOf(r.id);
    const byKey = new Map(after.map((x) => [x.key, x]));
    expect(byKey.get(idNo(1))!.load_id).toBe(first.id);
    expect(byKey.get(idNo(1))!.seq).toBe(before.find((x) => x.key === idNo(1))!.seq);
    expect(byKey.get(idNo(2))).toMatchObject({ load_id: second.id, data: { name: '乙改' } });
    expect(Number(byKey.get(idNo(2))!.seq)).toBeGreaterThan(Number(before.at(-1)!.seq));
    expect(byKey.get(idNo(3))!.load_id).toBe(second.id);

    const replaced = (await upload(admin, r.code, csvOf([`${idNo(3)},丙,,650502,`]), { mode: 'replace' })).json();
    expect(replaced).toMatchObject({ version: 3, stats: { deletedRows: 2 } });
    const tombstones = (await rowsOf(r.id)).filter((x) => x.deleted);
    expect(tombstones.map((x) => x.key).sort()).toEqual([idNo(1), idNo(2)].sort());
    expect(tombstones.every((x) => x.load_id === replaced.id)).toBe(true);
    const history = (await admin.get(`/api/datasets/resources/${r.code}/loads?limit=2`)).json();
    expect(history.items.map((l: { version: number }) => l.version)).toEqual([3, 2]);
    const rest = (await admin.get(`/api/datasets/resources/${r.code}/loads?limit=2&cursor=${history.nextCursor}`)).json();
    expect(rest.items.map((l: { version: number }) => l.version)).toEqual([1]);
  });
});

describe('bad files leave no rows', () => {
  async function expectFailed(res: Awaited<ReturnType<typeof upload>>, code: string, resourceId: string) {
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const problem = res.json();
    expect(problem.code).toBe(code);
    expect(await rowsOf(resourceId)).toEqual([]);
    const loadId = problem.loadId ?? problem.details?.loadId;
    if (loadId) {
      expect((await loadRow(loadId)).status).toBe('failed');
      expect(await stagingOf(loadId)).toEqual([]);
    }
    return problem;
  }

  it('a CSV cut inside a quoted value, or with a short last line, is truncated', async () => {
    const r = await freshResource();
    const many = Array.from({ length: 3000 }, (_, i) => `${idNo(i)},名${i},,650502,`);
    await expectFailed(await upload(admin, r.code, `${csvOf(many)}${idNo(999)},"未完`), 'datasets.truncated_file', r.id);
    await expectFailed(await upload(admin, r.code, `${csvOf(many)}${idNo(999)},名`), 'datasets.truncated_file', r.id);
  });

  it('a 10 MB line is refused clearly', async () => {
    const r = await freshResource();
    const res = await upload(admin, r.code, `${csvOf([`${idNo(1)},甲,,650502,`])}${idNo(2)},${'长'.repeat(10 * 1024 * 1024)},,650502,\n`);
    const problem = await expectFailed(res, 'datasets.record_too_large', r.id);
    expect(res.statusCode).toBe(413);
    expect(problem.field).toBe('body');
  });

  it('GBK bytes are detected and loaded; declared UTF-8 they fail as the wrong encoding', async () => {
    const r = await freshResource();
    const gbk = iconv.encode(csvOf([`${idNo(1)},张三,,650502,备注`]), 'gbk');
    const ok = await upload(admin, r.code, gbk);
    expect(ok.json()).toMatchObject({ status: 'committed', encoding: 'gb18030', acceptedRows: 1 });
    expect((await rowsOf(r.id))[0]!.data).toMatchObject({ name: '张三', note: '备注' });
    const r2 = await freshResource();
    const problem = await expectFailed(await upload(admin, r2.code, gbk, { encoding: 'utf-8' }), 'datasets.bad_encoding', r2.id);
    expect(problem.field).toBe('encoding');
    // UTF-8 declared as GB18030 decodes to replacement characters somewhere in real Chinese text, or loads as written
    const utf8 = await upload(admin, (await freshResource()).code, Buffer.from(`\ufeff${csvOf([`${idNo(1)},张三,,650502,`])}`));
    expect(utf8.json()).toMatchObject({ encoding: 'utf-8', acceptedRows: 1 });
  });

  it('a corrupt or truncated XLSX fails', async () => {
    const r = await freshResource();
    await expectFailed(await upload(admin, r.code, Buffer.from('PK\u0003\u0004 this is not a workbook at all'), { name: 'x.xlsx' }), 'datasets.corrupt_file', r.id);
    const good = await xlsxOf([['id_number', '姓名', 'region'], ...Array.from({ length: 2000 }, (_, i) => [idNo(i), `名${i}`, '650502'])]);
    const res = await upload(admin, r.code, good.subarray(0, Math.floor(good.length * 0.6)), { name: 'x.xlsx' });
    expect(['datasets.corrupt_file', 'datasets.truncated_file']).toContain(res.json().code);
    expect(await rowsOf(r.id)).toEqual([]);
  });

  it('truncated or malformed JSON fails', async () => {
    const r = await freshResource();
    await expectFailed(await upload(admin, r.code, `[{"id_number":"${idNo(1)}","name":"甲","region":"650502"},{"id_number":"${idNo(2)}"`, { name: 'x.json' }), 'datasets.truncated_file', r.id);
    await expectFailed(await upload(admin, r.code, `{"id_number":"${idNo(1)}","name":"甲","region":"650502"}\n{"id_number":`, { name: 'x.ndjson' }), 'datasets.truncated_file', r.id);
    await expectFailed(await upload(admin, r.code, `[{"id_number": nope}]`, { name: 'x.json' }), 'datasets.corrupt_file', r.id);
  });

  it('a header without a key or required column, an empty file and an unknown format are refused', async () => {
    const r = await freshResource();
    expect((await expectFailed(await upload(admin, r.code, '姓名,region\n甲,650502\n'), 'datasets.missing_column', r.id)).field).toBe('body');
    await expectFailed(await upload(admin, r.code, ''), 'datasets.empty_file', r.id);
    const res = await upload(admin, r.code, 'x', { name: 'data.pdf' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'datasets.unsupported_format', field: 'format' });
  });

  it('a failure in the middle of the merge leaves no row (a real database error raised by a trigger)', async () => {
    const r = await freshResource();
    const bad = idNo(500);
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION datasets_test_boom() RETURNS trigger AS $$ BEGIN IF NEW.key = '${bad}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      )
      .execute(db);
    await sql.raw(`CREATE TRIGGER datasets_test_boom BEFORE INSERT ON data_row FOR EACH ROW EXECUTE FUNCTION datasets_test_boom()`).execute(db);
    try {
      const lines = Array.from({ length: 1000 }, (_, i) => `${idNo(i)},名${i},,650502,`);
      const res = await upload(admin, r.code, csvOf(lines));
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().code).toBe('datasets.commit_failed');
      expect(await rowsOf(r.id)).toEqual([]);
      const load = await db.selectFrom('data_load').selectAll().where('resource_id', '=', r.id).executeTakeFirstOrThrow();
      expect(load).toMatchObject({ status: 'failed', version: null });
      expect(await stagingOf(load.id)).toEqual([]);
      expect(await db.selectFrom('job').select('id').where('unique_key', '=', load.id).execute()).toEqual([]);
    } finally {
      await sql.raw('DROP TRIGGER datasets_test_boom ON data_row').execute(db);
    }
  });
});

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('数据');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('XLSX and JSON', () => {
  it('loads an XLSX with typed cells (dates, numbers) and rich text', async () => {
    const r = await newResource(db, {
      providerDepartmentId: resource.providerDepartmentId,
      items: [
        { code: 'id_number', name: '公民身份号码', type: 'id_number', isKey: true, required: true },
        { code: 'born', name: '出生日期', type: 'date' },
        { code: 'amount', name: '金额', type: 'decimal' },
        { code: 'count', name: '人数', type: 'integer' },
        { code: 'active', name: '有效', type: 'boolean' },
      ],
    });
    const file = await xlsxOf([
      ['公民身份号码', '出生日期', '金额', '人数', '有效'],
      [idNo(1), new Date(Date.UTC(1980, 0, 1)), 12.5, 3, true],
      [idNo(2), '1980-02-30', 'abc', 1.5, '也许'],
    ]);
    const res = await upload(admin, r.code, file, { name: '数据.xlsx' });
    expect(res.json(), res.body).toMatchObject({ status: 'committed', acceptedRows: 1, rejectedRows: 1, format: 'xlsx' });
    expect((await rowsOf(r.id))[0]!.data).toEqual({ id_number: idNo(1), born: '1980-01-01', amount: 12.5, count: 3, active: true });
    const codes = (await admin.get(`/api/datasets/loads/${res.json().id}/rejections`)).json().items.map((x: { code: string }) => x.code);
    expect(codes.sort()).toEqual(['boolean', 'date', 'decimal', 'integer']);
  });

  it('loads a JSON array and NDJSON, keys by code or name', async () => {
    const r = await freshResource();
    const array = JSON.stringify([
      { id_number: idNo(1), 姓名: '甲', region: '650502', nested: { a: 1 } },
      { id_number: idNo(2), name: '乙 "引号" ,]}', region: 650502 },
      [1, 2],
    ]);
    const res = await upload(admin, r.code, array, { name: 'rows.json' });
    expect(res.json(), res.body).toMatchObject({ status: 'committed', acceptedRows: 2, rejectedRows: 1, stats: { unknownColumns: ['nested'] } });
    expect((await rowsOf(r.id)).map((x) => (x.data as { name: string }).name).sort()).toEqual(['甲', '乙 "引号" ,]}'].sort());
    const lines = `{"id_number":"${idNo(3)}","name":"丙","region":"650502"}\n\n{"id_number":"${idNo(4)}","name":"丁","region":"650502"}`;
    const nd = await upload(admin, r.code, lines, { name: 'rows.ndjson' });
    expect(nd.json()).toMatchObject({ status: 'committed', acceptedRows: 2, version: 2 });
  });
});

describe('staging (COPY FROM STDIN on PostgreSQL, inserts on PGlite)', () => {
  it('keeps backslashes, tabs, line breaks and quotes in keys and values exactly', async () => {
    const r = await newResource(db, {
      providerDepartmentId: resource.providerDepartmentId,
      items: [
        { code: 'k', name: '编号', type: 'string', isKey: true, required: true },
        { code: 'v', name: '内容', type: 'string' },
        { code: 'region', name: '所在区划', type: 'region_code' },
      ],
    });
    const nasty = ['a\\b', 'tab\there', 'line\r\nbreak', 'back\\\\slash\\N', '"quoted"', '\\N', 'é中\u2028文', 'lf\nonly'];
    const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const lines = nasty.map((v, i) => `${csvCell(`${v}-${i}`)},${csvCell(v)},650502`);
    const res = await upload(admin, r.code, `k,v,region\n${lines.join('\n')}\n`);
    expect(res.json(), res.body).toMatchObject({ status: 'committed', acceptedRows: nasty.length, rejectedRows: 0 });
    const rows = await rowsOf(r.id);
    expect(new Map(rows.map((x) => [x.key, x.data]))).toEqual(new Map(nasty.map((v, i) => [`${v}-${i}`, { k: `${v}-${i}`, v, region: '650502' }])));
    // the same values pushed as JSON objects update nothing (same data), and a changed one is replaced
    const push = await datasets.push(systemActorContext(), { resource: r.code, rows: nasty.map((v, i) => ({ k: `${v}-${i}`, v: i === 0 ? `${v}\t!` : v, region: '650502' })) });
    expect(push).toMatchObject({ status: 'committed', insertedRows: 0, updatedRows: 1 });
    expect((await rowsOf(r.id)).find((x) => x.key === `${nasty[0]}-0`)!.data).toMatchObject({ v: `${nasty[0]}\t!` });
  });

  it('streams by COPY on PostgreSQL (the driver client is reached), by inserts on PGlite', async () => {
    const handle = await testDb();
    expect(await withPgClient(handle.db, async (client) => client !== null)).toBe(handle.kind === 'postgres');
  });

  it('more loads at once than COPY streams allowed: the rest stage by inserts, all commit', async () => {
    const resources = await Promise.all(Array.from({ length: 5 }, () => freshResource()));
    const lines = Array.from({ length: 4500 }, (_, i) => `${idNo(i, '650502', `19${50 + Math.floor(i / 1000)}0101`)},名${i},,650502,`);
    const results = await Promise.all(resources.map((r) => upload(admin, r.code, csvOf(lines))));
    for (const [i, res] of results.entries()) {
      expect(res.json(), res.body).toMatchObject({ status: 'committed', acceptedRows: 4500, rejectedRows: 0 });
      expect((await rowsOf(resources[i]!.id)).length).toBe(4500);
    }
  });

  it('a load that fails mid-stream leaves no staging row and the connections stay usable', async () => {
    const r = await freshResource();
    for (let round = 0; round < 3; round++) {
      const many = Array.from({ length: 5000 }, (_, i) => `${idNo(i)},名${i},,650502,`);
      const res = await upload(admin, r.code, `${csvOf(many)}${idNo(999)},"未完`);
      expect(res.json().code).toBe('datasets.truncated_file');
      expect(await stagingOf(res.json().loadId ?? res.json().details.loadId)).toEqual([]);
    }
    const ok = await upload(admin, r.code, csvOf([`${idNo(1)},甲,,650502,`]));
    expect(ok.json()).toMatchObject({ status: 'committed', acceptedRows: 1 });
  });
});

describe('pushed rows', () => {
  it('validates a pushed batch the same way and commits it atomically', async () => {
    const r = await freshResource();
    const res = await admin.post(`/api/datasets/resources/${r.id}/rows`, { rows: [{ id_number: idNo(1), name: '甲', region: '650502' }, { id_number: 'x', name: '乙', region: '650502' }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'api', status: 'committed', acceptedRows: 1, rejectedRows: 1 });
    const tooMany = await admin.post(`/api/datasets/resources/${r.id}/rows`, { rows: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().field).toContain('rows');
  });

  it('two loads of one resource at once serialise: distinct versions, seq in commit order', async () => {
    const r = await freshResource();
    const batch = (from: number) => Array.from({ length: 1500 }, (_, i) => ({ id_number: idNo(from + i, '650521'), name: `名${i}`, region: '650521' }));
    const [a, b] = await Promise.all([datasets.push(systemActorContext(), { resource: r.id, rows: batch(0) }), datasets.push(systemActorContext(), { resource: r.id, rows: batch(1500).map((x, i) => ({ ...x, id_number: idNo(i, '650522') })) })]);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    const rows = await rowsOf(r.id);
    const [firstLoad, secondLoad] = a.version === 1 ? [a.id, b.id] : [b.id, a.id];
    const lastOfFirst = Math.max(...rows.filter((x) => x.load_id === firstLoad).map((x) => Number(x.seq)));
    const firstOfSecond = Math.min(...rows.filter((x) => x.load_id === secondLoad).map((x) => Number(x.seq)));
    expect(lastOfFirst).toBeLessThan(firstOfSecond);
  });
});

describe('progress, reports, rows, jurisdiction', () => {
  it('shows bytes read and rows so far while a file streams in', async () => {
    const r = await freshResource();
    const body = new Readable({ read() {} });
    const pending = datasets.upload(systemActorContext(), { resource: r.id, fileName: 'slow.csv', body });
    body.push(`${HEADER}\n`);
    for (let i = 0; i < 2500; i++) body.push(`${idNo(i)},名${i},,650502,\n`);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    for (let i = 2500; i < 4500; i++) body.push(`${idNo(i)},名${i},,650502,\n`);
    let seen: { status: string; bytes_read: string; total_rows: number } | undefined;
    for (let i = 0; i < 50 && !(seen && seen.total_rows > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await db.selectFrom('data_load').select(['status', 'bytes_read', 'total_rows']).where('resource_id', '=', r.id).executeTakeFirst();
    }
    expect(seen).toMatchObject({ status: 'receiving' });
    expect(seen!.total_rows).toBeGreaterThan(0);
    expect(Number(seen!.bytes_read)).toBeGreaterThan(0);
    const loadId = (await db.selectFrom('data_load').select('id').where('resource_id', '=', r.id).executeTakeFirstOrThrow()).id;
    expect((await admin.get(`/api/datasets/loads/${loadId}`)).json()).toMatchObject({ status: 'receiving' });
    body.push(null);
    expect(await pending).toMatchObject({ status: 'committed', acceptedRows: 1000 });
  });

  it('downloads the report as CSV and XLSX with formula cells escaped', async () => {
    const r = await freshResource();
    const res = await upload(admin, r.code, csvOf([`=cmd|' /C calc'!A0,甲,,650502,`, `${idNo(1)},乙,+8613912345678x,650502,`]));
    const id = res.json().id;
    const csv = await admin.get(`/api/datasets/loads/${id}/rejections.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`'=cmd|' /C calc'!A0`);
    expect(csv.body).toContain(`'+8613912345678x`);
    expect(csv.body).not.toMatch(/(^|,)=cmd/m);
    const xlsx = await admin.app.inject({ method: 'GET', url: `/api/datasets/loads/${id}/rejections.xlsx`, headers: { cookie: admin.session!.cookie } });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values = book.worksheets[0]!.getColumn(3).values.filter((v) => typeof v === 'string');
    expect(values).toContain(`'=cmd|' /C calc'!A0`);
    book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('shows rows to the provider masked, and the own department resources to pick from', async () => {
    const r = await freshResource();
    await upload(admin, r.code, csvOf([`${idNo(1)},张三,13912345678,650502,备注`]));
    const preview = (await staff.get(`/api/datasets/resources/${r.code}/rows`)).json();
    expect(preview.masked).toBe(true);
    expect(preview.items[0].data.id_number).toBe(`${idNo(1).slice(0, 6)}********${idNo(1).slice(14)}`);
    const mine = (await staff.get('/api/datasets/resources')).json().items as { code: string; rows: number }[];
    expect(mine.find((x) => x.code === r.code)).toMatchObject({ rows: 1 });
  });

  it("another department's staff and a role without datasets.load get nothing", async () => {
    const r = await freshResource();
    const res = await upload(stranger, r.code, csvOf([`${idNo(1)},甲,,650502,`]));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'datasets.resource_not_found' });
    const own = (await upload(admin, r.code, csvOf([`${idNo(1)},甲,,650502,`]))).json();
    expect((await stranger.get(`/api/datasets/loads/${own.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/datasets/loads/${own.id}/rejections.csv`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/datasets/resources/${r.id}/rows`, { rows: [{}] })).statusCode).toBe(404);
    const { app } = await testApp();
    const leaderUser = await newUser(db, { departmentId: resource.providerDepartmentId, grants: [{ role: 'leader', regionCode: '6505' }] });
    const leader = await login(app, leaderUser.username, leaderUser.password);
    expect((await leader.get(`/api/datasets/resources/${r.code}/loads`)).statusCode).toBe(403);
    expect((await stranger.get('/api/datasets/resources')).json().items.find((x: { code: string }) => x.code === r.code)).toBeUndefined();
  });
});
