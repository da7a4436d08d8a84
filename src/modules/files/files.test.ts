// The attachment store through its API: content-addressed, typed by content, limited per use, authorised like its owner.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { LocalBlobStore } from './blob-store.ts';
import { contentDisposition } from '../../http/content-disposition.ts';
import { testCaseOwner } from './test-owner.ts';
import { storedZip } from './zip-fixture.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let filesDir: string;
let manager: Client;
let reader: Client;
let elsewhere: Client;
let noRights: Client;

// unique per run: other tests upload PDFs of their own to the same store, and a first upload must not find this one there
const PDF = Buffer.from(`%PDF-1.4\n%${uniq()}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);

function upload(client: Client, query: Record<string, string>, body: Buffer | Readable, headers: Record<string, string> = {}) {
  const qs = new URLSearchParams({ ownerKind: 'test.case', use: 'material', ...query }).toString();
  return client.app.inject({
    method: 'POST',
    url: `/api/files?${qs}`,
    headers: { ...headers, cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': headers['content-type'] ?? 'application/octet-stream' },
    payload: body,
  });
}

const records = (ownerId: string) => db.selectFrom('file_record').selectAll().where('owner_id', '=', ownerId).execute();
const blobPath = (sha: string) => path.join(filesDir, sha.slice(0, 2), sha.slice(2, 4), sha);

beforeAll(async () => {
  ({ db } = await testDb());
  const { services, config } = await testApp();
  filesDir = config.filesDir;
  services.files.registerOwner('test.case', testCaseOwner(db));
  manager = await signedInWith([{ role: 'department_admin', regionCode: '650502' }]);
  reader = await signedInWith([{ role: 'leader', regionCode: '650502' }]);
  elsewhere = await signedInWith([{ role: 'department_admin', regionCode: '650521' }]);
  noRights = await signedInWith([{ role: 'community_worker', regionCode: '650502' }]);
});

describe('upload and download', () => {
  it('stores the content under its SHA-256, detects its type, audits the upload, and streams it back with its Chinese name', async () => {
    const owner = `650502-${uniq()}`;
    const res = await upload(manager, { ownerId: owner, name: '营业执照（副本）.pdf' }, PDF, { 'content-type': 'image/png' });
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ mediaType: 'application/pdf', size: PDF.length, name: '营业执照（副本）.pdf', use: 'material', ownerKind: 'test.case', ownerId: owner });
    expect(fs.readFileSync(blobPath(file.sha256))).toEqual(PDF);
    const audit = await db.selectFrom('audit_log').select(['action', 'region_code', 'detail']).where('object_id', '=', file.id).execute();
    expect(audit).toMatchObject([{ action: 'file.upload', region_code: '650502', detail: { sha256: file.sha256, permission: 'users.manage', deduplicated: false } }]);

    const got = await reader.get(`/api/files/${file.id}/content`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload).toEqual(PDF);
    expect(got.headers).toMatchObject({ 'content-type': 'application/pdf', etag: `"${file.sha256}"`, 'content-length': String(PDF.length) });
    expect(got.headers['content-disposition']).toBe(`attachment; filename="________.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照（副本）')}.pdf`);
    const read = await db.selectFrom('audit_access').selectAll().where('request_id', '=', got.headers['x-request-id'] as string).executeTakeFirstOrThrow();
    expect(read).toMatchObject({ resource: 'file', subject_ids: [`test.case:${owner}`], permission: 'users.read', region_code: '650502' });
    const cached = await reader.request('GET', `/api/files/${file.id}/content`, undefined, { 'if-none-match': `"${file.sha256}"` });
    expect(cached.statusCode).toBe(304);
    expect((await reader.get(`/api/files?ownerKind=test.case&ownerId=${owner}`)).json().items.map((f: { id: string }) => f.id)).toEqual([file.id]);
  });

  it('keeps one blob for equal contents, also when two uploads of it arrive at once', async () => {
    const owner = `650502-${uniq()}`;
    const content = Buffer.concat([PDF, Buffer.from(uniq())]);
    const [a, b] = await Promise.all([upload(manager, { ownerId: owner, name: 'a.pdf' }, content), upload(manager, { ownerId: owner, name: 'b.pdf' }, content)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(a.json().sha256).toBe(b.json().sha256);
    const dir = path.dirname(blobPath(a.json().sha256));
    expect(fs.readdirSync(dir).filter((f) => f === a.json().sha256)).toHaveLength(1);
    expect(fs.readdirSync(path.join(filesDir, 'tmp'))).toEqual([]);
  });

  it('detects Office documents by the names inside the zip, not by the file name', async () => {
    const owner = `650502-${uniq()}`;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('表1').addRow(['姓名', '身份证号']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await upload(manager, { ownerId: owner, name: '名单.xlsx' }, xlsx)).json().mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const docx = storedZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    expect((await upload(manager, { ownerId: owner, name: '申请书.docx' }, docx)).json().mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // a plain zip renamed .docx is a zip, which materials may not be
    const zip = storedZip({ 'readme.txt': 'hello' });
    expect((await upload(manager, { ownerId: owner, name: '申请书.docx' }, zip)).json()).toMatchObject({ code: 'file.unsupported_type', field: 'body', detected: 'application/zip' });
  });
});

describe('refusals name the field and store nothing', () => {
  it('type by content (415 / 400), size per use (413), name, use and owner kind (400)', async () => {
    const owner = `650502-${uniq()}`;
    const cases: [Record<string, string>, Buffer, number, string, string][] = [
      [{ name: 'setup.pdf' }, EXE, 415, 'file.unsupported_type', 'body'],
      [{ name: '照片.pdf' }, PNG, 400, 'file.name_type_mismatch', 'name'],
      [{ name: '../../etc/passwd.pdf' }, PDF, 400, 'file.invalid_name', 'name'],
      [{ name: 'a.pdf', use: 'poster' }, PDF, 400, 'file.unknown_use', 'use'],
      [{ name: 'a.pdf', ownerKind: 'nothing' }, PDF, 400, 'file.unknown_owner_kind', 'ownerKind'],
      [{ name: 'big.pdf' }, Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]), 413, 'file.too_large', 'body'],
    ];
    for (const [query, body, status, code, field] of cases) {
      const res = await upload(manager, { ownerId: owner, ...query }, body);
      expect({ status: res.statusCode, code: res.json().code, field: res.json().field }).toEqual({ status, code, field });
    }
    // a body without Content-Length that runs past the limit is cut off as it streams
    const endless = Readable.from((function* () {
      yield PDF;
      for (let i = 0; i < 30; i++) yield Buffer.alloc(1024 * 1024);
    })());
    const streamed = await upload(manager, { ownerId: owner, name: 'endless.pdf' }, endless);
    expect({ status: streamed.statusCode, code: streamed.json().code }).toEqual({ status: 413, code: 'file.too_large' });
    expect(await records(owner)).toEqual([]);
    expect(fs.readdirSync(path.join(filesDir, 'tmp'))).toEqual([]);
  });

  it('authorises like the owner: another county sees nothing, a role without the permission is refused', async () => {
    const owner = `650502-${uniq()}`;
    const file = (await upload(manager, { ownerId: owner, name: 'a.pdf' }, PDF)).json();
    expect((await upload(elsewhere, { ownerId: owner, name: 'b.pdf' }, PDF)).json()).toMatchObject({ status: 404, code: 'file.owner_not_found', field: 'ownerId' });
    expect((await elsewhere.get(`/api/files/${file.id}/content`)).statusCode).toBe(404);
    expect((await elsewhere.get(`/api/files/${file.id}`)).statusCode).toBe(404);
    expect((await elsewhere.get(`/api/files?ownerKind=test.case&ownerId=${owner}`)).statusCode).toBe(404);
    expect((await upload(noRights, { ownerId: owner, name: 'c.pdf' }, PDF)).statusCode).toBe(403);
    expect((await noRights.get(`/api/files/${file.id}/content`)).statusCode).toBe(403);
    expect(await records(owner)).toHaveLength(1);
  });
});

describe('garbage', () => {
  it('removes blobs no record names once they are older than the grace period, and keeps the others', async () => {
    const { services } = await testApp();
    const owner = `650502-${uniq()}`;
    const kept = (await upload(manager, { ownerId: owner, name: 'kept.pdf' }, Buffer.concat([PDF, Buffer.from(uniq())]))).json().sha256 as string;
    const store = new LocalBlobStore(filesDir);
    const orphan = async (text: string) => {
      const staged = path.join(filesDir, 'tmp', `${uniq()}.part`);
      fs.writeFileSync(staged, text);
      const sha = createHash('sha256').update(text).digest('hex');
      await store.put(sha, staged);
      return sha;
    };
    const old = await orphan(`old ${uniq()}`);
    const young = await orphan(`young ${uniq()}`);
    const longAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    for (const sha of [old, kept]) fs.utimesSync(blobPath(sha), longAgo, longAgo);
    expect(await services.files.collectGarbage(new Date())).toBeGreaterThanOrEqual(1);
    expect([fs.existsSync(blobPath(old)), fs.existsSync(blobPath(young)), fs.existsSync(blobPath(kept))]).toEqual([false, true, true]);
  });
});

describe('Content-Disposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('report "final".pdf')).toBe(`attachment; filename="report _final_.pdf"; filename*=UTF-8''report%20%22final%22.pdf`);
    expect(contentDisposition("它's (1).pdf")).toBe(`attachment; filename="_'s (1).pdf"; filename*=UTF-8''%E5%AE%83%27s%20%281%29.pdf`);
  });
});
