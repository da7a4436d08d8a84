// Household files on the real app and database (D113): new and existing households upserted by number with their
// members, every bad cell reported by row and column (a member who is not registered, a second head, a head named in
// two rows, a household number twice), all-or-nothing leaving the registry untouched, GB18030, and the jurisdiction.
import { randomInt } from 'node:crypto';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { COMMUNITY_A, COMMUNITY_B, makeIdNumber, newHousehold, newResident } from '../../../test/support/community-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { checkHouseholdRow, planHouseholdColumns, relationOf } from './household-import.ts';
import { checkRow, planColumns, TEMPLATE_HEADER } from './import-rows.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
/** community_worker of COMMUNITY_A. */
let worker: Client;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await testApp());
  const dept = await newDepartment(db, { regionCode: COMMUNITY_A, name: uniq('建国北路社区居委会') });
  const w = await newUser(db, { departmentId: dept.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  worker = await login(app, w.username, w.password);
});

const HEADER = '户号,社区代码,地址,户主身份证号,成员';
const householdNo = () => `HI${Date.now().toString(36)}${randomInt(0, 1e6)}`.toUpperCase();
const unregistered = () => makeIdNumber(`19${randomInt(40, 99)}-0${randomInt(1, 10)}-1${randomInt(0, 9)}`, 'F');

function upload(client: Client, body: Buffer | string, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ name: '户籍.csv', ...query }).toString();
  return app.inject({
    method: 'POST',
    url: `/api/community/imports/households?${qs}`,
    headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'application/octet-stream' },
    payload: body,
  });
}

const rejectionsOf = async (importId: string) =>
  ((await worker.get(`/api/community/imports/${importId}/rejections?limit=200`)).json().items as { rowNo: number; item: string; code: string; value: string | null }[]).map((r) => ({ rowNo: r.rowNo, item: r.item, code: r.code }));
const membership = async (residentId: string) => db.selectFrom('community_resident').select(['household_id', 'relation']).where('id', '=', residentId).executeTakeFirstOrThrow();
const householdByNo = async (no: string) => db.selectFrom('community_household').select(['id', 'address', 'member_count', 'community_code']).where('household_no', '=', no).executeTakeFirst();

describe('household file imports', () => {
  it('upserts households by number with their members, reports every bad cell by row and column, and commits the good rows together', async () => {
    const [head1, spouse1, child1, head2, kept2, dropped2, head3, member3, head4, headTwice] = await Promise.all(Array.from({ length: 10 }, () => newResident(db, { communityCode: COMMUNITY_A })));
    const elsewhere = await newResident(db, { communityCode: COMMUNITY_B });
    const fresh = householdNo();
    const existing = await newHousehold(db, { communityCode: COMMUNITY_A, address: '旧地址 1 号' });
    const existingNo = (await db.selectFrom('community_household').select('household_no').where('id', '=', existing.id).executeTakeFirstOrThrow()).household_no;
    await db.updateTable('community_resident').set({ household_id: existing.id, relation: 'child' }).where('id', 'in', [kept2!.id, dropped2!.id]).execute();
    const ghost = unregistered();
    const badNo = [householdNo(), householdNo(), householdNo()];
    const twice = householdNo();
    const csv = [
      HEADER,
      `${fresh},${COMMUNITY_A},建国北路 12 号,${head1!.id_number},${spouse1!.id_number}:配偶;${child1!.id_number}:20`,
      `${existingNo},,建国北路 14 号,${head2!.id_number},${kept2!.id_number}:spouse`,
      `${badNo[0]},,,${head3!.id_number},${member3!.id_number}:子女;${ghost}:子女`,
      `${badNo[1]},,,${head4!.id_number},${elsewhere.id_number}:02`,
      `${twice},,,${headTwice!.id_number},`,
      `${badNo[2]},,,${headTwice!.id_number},`,
      `${fresh},,,${head4!.id_number},`,
      `${householdNo()},,,12345,`,
    ].join('\n');
    const res = await upload(worker, csv);
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ kind: 'households', status: 'committed', totalRows: 8, insertedRows: 2, updatedRows: 1, acceptedRows: 3 });
    expect(await rejectionsOf(view.id)).toEqual([
      { rowNo: 3, item: '成员', code: 'community.resident_not_found' },
      { rowNo: 4, item: '成员', code: 'community.head_exists' },
      { rowNo: 6, item: '户主身份证号', code: 'community.duplicate_resident' },
      { rowNo: 7, item: '户号', code: 'community.duplicate_household' },
      { rowNo: 8, item: '户主身份证号', code: 'community.invalid_id_number' },
    ]);
    const made = (await householdByNo(fresh))!;
    expect(made).toMatchObject({ address: '建国北路 12 号', member_count: 3, community_code: COMMUNITY_A });
    expect(await membership(head1!.id)).toEqual({ household_id: made.id, relation: 'head' });
    expect(await membership(spouse1!.id)).toEqual({ household_id: made.id, relation: 'spouse' });
    expect(await membership(child1!.id)).toEqual({ household_id: made.id, relation: 'child' });
    // the existing household: the file's row is the whole household (dropped2 leaves it)
    expect(await householdByNo(existingNo)).toMatchObject({ address: '建国北路 14 号', member_count: 2 });
    expect(await membership(head2!.id)).toEqual({ household_id: existing.id, relation: 'head' });
    expect(await membership(kept2!.id)).toEqual({ household_id: existing.id, relation: 'spouse' });
    expect(await membership(dropped2!.id)).toEqual({ household_id: null, relation: null });
    // rejected rows wrote nothing
    for (const no of badNo) expect(await householdByNo(no)).toBeUndefined();
    expect(await membership(head3!.id)).toEqual({ household_id: null, relation: null });
    // a head named in two rows heads the first row's household only
    expect(await membership(headTwice!.id)).toEqual({ household_id: (await householdByNo(twice))!.id, relation: 'head' });
    const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'community.household_import_file').where('object_id', '=', view.id).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ inserted: 2, updated: 1, rejected: 5 });
    // the same file again changes nothing more and reports the same rows
    const again = (await upload(worker, csv)).json();
    expect(again).toMatchObject({ status: 'committed', insertedRows: 0, updatedRows: 3, rejectedRows: 5 });
    expect((await householdByNo(fresh))!.member_count).toBe(3);
  });

  it('all-or-nothing: one bad row leaves the registry as it was; a member in another household and a head outside the jurisdiction are refused', async () => {
    const [head, member, other] = await Promise.all([newResident(db, { communityCode: COMMUNITY_A }), newResident(db, { communityCode: COMMUNITY_A }), newResident(db, { communityCode: COMMUNITY_A })]);
    const taken = await newHousehold(db, { communityCode: COMMUNITY_A });
    await db.updateTable('community_resident').set({ household_id: taken.id, relation: 'head' }).where('id', '=', other.id).execute();
    const outside = await newResident(db, { communityCode: COMMUNITY_B });
    const good = householdNo();
    const csv = [HEADER, `${good},,新村 1 号,${head.id_number},${member.id_number}:配偶`, `${householdNo()},,,${outside.id_number},`, `${householdNo()},,,${member.id_number}x,${other.id_number}:子女`].join('\r\n');
    const res = await upload(worker, csv, { allOrNothing: 'true' });
    expect(res.json()).toMatchObject({ status: 'rejected', acceptedRows: 0, insertedRows: 0 });
    expect(await rejectionsOf(res.json().id)).toEqual([
      { rowNo: 2, item: '户主身份证号', code: 'community.out_of_jurisdiction' },
      { rowNo: 3, item: '户主身份证号', code: 'community.invalid_id_number' },
    ]);
    expect(await householdByNo(good)).toBeUndefined();
    expect(await membership(head.id)).toEqual({ household_id: null, relation: null });
    // a member already in another household is refused by name
    const second = await upload(worker, [HEADER, `${householdNo()},,,${head.id_number},${other.id_number}:子女`].join('\n'));
    expect(await rejectionsOf(second.json().id)).toEqual([{ rowNo: 1, item: '成员', code: 'community.already_member' }]);
    expect(await membership(other.id)).toEqual({ household_id: taken.id, relation: 'head' });
  });

  it('refuses per row a NUL byte in any field before any write; the rest of the file commits, or nothing with all-or-nothing', async () => {
    const [head1, head2, member2, head3] = await Promise.all(Array.from({ length: 4 }, () => newResident(db, { communityCode: COMMUNITY_A })));
    const [good, nulAddress, nulNo, nulMembers] = [householdNo(), householdNo(), householdNo(), householdNo()];
    const csv = [
      HEADER,
      `${good},,团结路 5 号,${head1!.id_number},`,
      `${nulAddress},,团结\0路 7 号,${head2!.id_number},${member2!.id_number}:配偶`,
      `${nulNo}\0,,,${head3!.id_number},`,
      `${nulMembers},,,${head3!.id_number},${member2!.id_number}\0:子女`,
      `${householdNo()},${COMMUNITY_A}\0,,${head3!.id_number},`,
    ].join('\n');
    const strict = await upload(worker, csv, { allOrNothing: 'true' });
    expect(strict.statusCode, strict.body).toBe(201);
    expect(strict.json()).toMatchObject({ status: 'rejected', acceptedRows: 0, insertedRows: 0, rejectedRows: 4 });
    const expected = [
      { rowNo: 2, item: '地址', code: 'community.unstorable_text' },
      { rowNo: 3, item: '户号', code: 'community.unstorable_text' },
      { rowNo: 4, item: '成员', code: 'community.unstorable_text' },
      { rowNo: 5, item: '社区代码', code: 'community.unstorable_text' },
    ];
    expect(await rejectionsOf(strict.json().id)).toEqual(expected);
    expect(await householdByNo(good)).toBeUndefined();
    // the rejection shows the value with U+FFFD where the NUL was
    const shown = (await worker.get(`/api/community/imports/${strict.json().id}/rejections?limit=200`)).json().items as { rowNo: number; value: string | null }[];
    expect(shown.find((r) => r.rowNo === 2)?.value).toBe('团结\uFFFD路 7 号');
    const lenient = await upload(worker, csv);
    expect(lenient.json()).toMatchObject({ status: 'committed', insertedRows: 1, rejectedRows: 4 });
    expect(await rejectionsOf(lenient.json().id)).toEqual(expected);
    expect(await householdByNo(good)).toMatchObject({ address: '团结路 5 号', member_count: 1 });
    for (const no of [nulAddress, nulNo, nulMembers]) expect(await householdByNo(no)).toBeUndefined();
    expect(await membership(head2!.id)).toEqual({ household_id: null, relation: null });
    expect(await membership(member2!.id)).toEqual({ household_id: null, relation: null });
  });

  it('reads GB18030 files and refuses a file without the required columns', async () => {
    const head = await newResident(db, { communityCode: COMMUNITY_A });
    const no = householdNo();
    const res = await upload(worker, iconv.encode([HEADER, `${no},,团结路 3 号,${head.id_number},`].join('\r\n'), 'gb18030'));
    expect(res.json()).toMatchObject({ status: 'committed', encoding: 'gb18030', insertedRows: 1 });
    expect(await householdByNo(no)).toMatchObject({ address: '团结路 3 号', member_count: 1 });
    const missing = await upload(worker, '户号,地址\nX1,某处\n');
    expect(missing.json()).toMatchObject({ status: 'rejected' });
    expect(await rejectionsOf(missing.json().id)).toEqual([{ rowNo: 0, item: '户主身份证号', code: 'community.import_missing_column' }]);
  });
});

describe('household rows alone', () => {
  const plan = planHouseholdColumns(HEADER.split(','));
  it('reads GB/T 4761 relation codes, names and the registry codes', () => {
    expect(['10', '20', '30', '41', '51', '61', '70', '99', '01', '配偶', '子女', 'sibling', '邻居'].map(relationOf)).toEqual(['spouse', 'child', 'child', 'grandchild', 'parent', 'grandparent', 'sibling', 'other', 'head', 'spouse', 'child', 'sibling', null]);
  });
  it('names the column of each problem and keeps the members of a good row', () => {
    const head = makeIdNumber('1980-01-01', 'M');
    const child = makeIdNumber('2010-05-05', 'F');
    expect(checkHouseholdRow(plan, ['H-1', '', '', head, `${child}：子女；${head}:配偶`], '2026-11-28')).toEqual({
      problems: [expect.objectContaining({ item: '成员', code: 'community.duplicate_resident' })],
    });
    expect(checkHouseholdRow(plan, ['H 1', '12', '', '', `${child}:朋友`], '2026-11-28')).toEqual({
      problems: [
        expect.objectContaining({ item: '户主身份证号', code: 'community.required' }),
        expect.objectContaining({ item: '户号', code: 'community.invalid_value' }),
        expect.objectContaining({ item: '社区代码', code: 'community.not_a_community' }),
        expect.objectContaining({ item: '成员', code: 'community.invalid_value' }),
      ],
    });
    // lone surrogates (an XLSX string's `_xD800_` escape) in any field are refused like NUL; a pair is a character
    for (const [cells, item] of [
      [['H-1', '', '新村\uD800', head, ''], '地址'],
      [['H-1\uDC00', '', '', head, ''], '户号'],
      [['H-1', '', '', head, `${child}:子女\uD83D`], '成员'],
      [['H-1', '', '', `${head}\u0000`, ''], '户主身份证号'],
    ] as const) {
      expect(checkHouseholdRow(plan, cells, '2026-11-28')).toEqual({ problems: [expect.objectContaining({ item, code: 'community.unstorable_text' })] });
    }
    expect(checkHouseholdRow(plan, ['H-1', '', '新村 😀 号', head, ''], '2026-11-28')).toMatchObject({ row: { address: '新村 😀 号' } });
    expect(checkHouseholdRow(plan, ['H-1', '', '', head, `${child}:20`], '2026-11-28')).toEqual({ row: { householdNo: 'H-1', communityCode: null, address: '', headIdNumber: head, members: [{ idNumber: child, relation: 'child', entry: `${child}:20` }] } });
  });
});

describe('resident rows alone', () => {
  it('refuse NUL and lone surrogates in any field, as household rows do, and keep paired ones', () => {
    const plan = planColumns(TEMPLATE_HEADER);
    const id = makeIdNumber('1985-03-04', 'F');
    const cells = (over: Record<number, string>) => TEMPLATE_HEADER.map((_, i) => over[i] ?? ['', '', '', '', '汉族', '', COMMUNITY_A, '', '', '', '常住', ''][i]!);
    // columns in template order: 0 公民身份号码, 1 姓名, 4 民族, 6 社区代码, 9 现住址, 10 居住类型
    const base = { [0]: id, [1]: '古丽' };
    expect(checkRow(plan, cells(base), '2026-11-28')).toMatchObject({ row: { name: '古丽' } });
    expect(checkRow(plan, cells({ ...base, [1]: '古丽😀' }), '2026-11-28')).toMatchObject({ row: { name: '古丽😀' } });
    for (const bad of ['古\0丽', '古丽\uD800', '\uDFFF古丽']) {
      expect(checkRow(plan, cells({ ...base, [1]: bad }), '2026-11-28')).toEqual({ problems: [expect.objectContaining({ item: TEMPLATE_HEADER[1], code: 'community.unstorable_text' })] });
    }
    expect(checkRow(plan, cells({ ...base, [9]: '路\0' }), '2026-11-28')).toEqual({ problems: [expect.objectContaining({ item: TEMPLATE_HEADER[9], code: 'community.unstorable_text' })] });
  });
});
