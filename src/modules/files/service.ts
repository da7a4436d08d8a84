// Files: streamed, content-addressed uploads attached to another module's object, authorised like that object.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Permission, Scope } from '../../shared/access.ts';
import { requireActor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { BlobStore } from './blob-store.ts';
import { detectType, HEAD_BYTES, type DetectedType } from './detect.ts';
import type { FileRecordTable } from './schema.ts';

/** What files of one use may be: declared by the module that owns them. */
export interface FileUse {
  maxBytes: number;
  types: readonly DetectedType[];
}

/** The permission and scope that allowed an action on the owning object (recorded in the audit trail). */
export interface OwnerAccess {
  permission: Permission;
  scope: Scope;
  /** The owning object's region, when it has one. */
  regionCode?: string | null;
}

/** A module's rules for files attached to its objects. null = the caller may not (reported as not found). */
export interface FileOwner {
  uses: Readonly<Record<string, FileUse>>;
  canRead(ctx: RequestContext, ownerId: string): Promise<OwnerAccess | null>;
  canAttach(ctx: RequestContext, ownerId: string): Promise<OwnerAccess | null>;
}

export interface FileView {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
  use: string;
  ownerKind: string;
  ownerId: string;
  uploadedBy: string | null;
  createdAt: string;
}

export interface UploadInput {
  ownerKind: string;
  ownerId: string;
  use: string;
  name: string;
  /** Content-Length as the client announced it, if it did: a body announced too large is refused unread. */
  declaredLength?: number;
  body: Readable;
}

const toView = (row: Selectable<FileRecordTable>): FileView => ({
  id: row.id,
  sha256: row.sha256,
  size: Number(row.size),
  mediaType: row.media_type,
  name: row.original_name,
  use: row.use,
  ownerKind: row.owner_kind,
  ownerId: row.owner_id,
  uploadedBy: row.uploaded_by,
  createdAt: row.created_at.toISOString(),
});

const tooLarge = (max: number) => new DomainError('file.too_large', 'too_large', `The file is larger than the ${max} bytes allowed for this use.`, 'body', { maxBytes: max });

/** A name safe to keep and to send back in Content-Disposition: no path, no control characters, ≤ 255 characters. */
function cleanName(name: string): string {
  const trimmed = name.trim();
  const control = [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (trimmed === '' || trimmed.length > 255 || control || /[/\\]/.test(trimmed) || trimmed === '.' || trimmed === '..') {
    throw invalid('file.invalid_name', 'name', 'The file name must be 1–255 characters, without a path or control characters.');
  }
  return trimmed;
}

export class FileService {
  private readonly owners = new Map<string, FileOwner>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly store: BlobStore,
  ) {}

  /** Called by the module whose objects files attach to (at start-up). */
  registerOwner(kind: string, owner: FileOwner): void {
    if (!/^[a-z][a-z0-9_.-]{0,49}$/.test(kind)) throw new Error(`invalid owner kind: ${kind}`);
    this.owners.set(kind, owner);
  }

  private owner(kind: string): FileOwner {
    const owner = this.owners.get(kind);
    if (!owner) throw invalid('file.unknown_owner_kind', 'ownerKind', `No module accepts files for "${kind}".`);
    return owner;
  }

  /**
   * Streams the body to a staging file while hashing it (never whole in memory), detects its type from its bytes,
   * moves it into the store under its hash, and records it with its audit record in one transaction.
   */
  async upload(ctx: RequestContext, input: UploadInput): Promise<FileView> {
    const actor = requireActor(ctx.actor);
    const owner = this.owner(input.ownerKind);
    const use = owner.uses[input.use];
    if (!use) throw invalid('file.unknown_use', 'use', `Files for ${input.ownerKind} may be: ${Object.keys(owner.uses).join(', ')}.`);
    const name = cleanName(input.name);
    const access = await owner.canAttach(ctx, input.ownerId);
    if (!access) throw notFound('file.owner_not_found', `No ${input.ownerKind} ${input.ownerId} you may attach files to.`, 'ownerId');
    if (input.declaredLength !== undefined && input.declaredLength > use.maxBytes) {
      // refused unread; the rest of the body is discarded as it arrives
      input.body.resume();
      throw tooLarge(use.maxBytes);
    }

    const staged = await this.stage(input.body, use.maxBytes);
    let stored = false;
    try {
      const type = await detectType(staged.head, staged.path);
      if (!type || !use.types.includes(type)) {
        const allowed = use.types.map((t) => t.extensions[0]).join(', ');
        throw new DomainError('file.unsupported_type', 'unsupported_type', `The content is ${type ? type.mediaType : 'of no type accepted here'}; ${input.use} files may be ${allowed}.`, 'body', {
          detected: type?.mediaType ?? null,
        });
      }
      const extension = path.extname(name).slice(1).toLowerCase();
      if (!type.extensions.includes(extension)) {
        throw invalid('file.name_type_mismatch', 'name', `The content is ${type.mediaType}: name the file .${type.extensions[0]}, not "${name}".`, { detected: type.mediaType });
      }
      const { deduplicated } = await this.store.put(staged.sha256, staged.path);
      stored = true;
      const row = await this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('file_record')
          .values({ sha256: staged.sha256, size: String(staged.size), media_type: type.mediaType, original_name: name, use: input.use, owner_kind: input.ownerKind, owner_id: input.ownerId, uploaded_by: actor.userId })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.audit.record(trx, ctx, {
          action: 'file.upload',
          objectType: 'file',
          objectId: inserted.id,
          regionCode: access.regionCode ?? null,
          detail: { ownerKind: input.ownerKind, ownerId: input.ownerId, use: input.use, name, size: staged.size, mediaType: type.mediaType, sha256: staged.sha256, deduplicated, permission: access.permission },
        });
        return inserted;
      });
      // a blob stored for a record that then failed stays unreferenced until the collector removes it
      return toView(row);
    } finally {
      if (!stored) await fs.promises.rm(staged.path, { force: true });
    }
  }

  /** Writes the stream to a staging file, hashing and counting as it goes; refuses past maxBytes. */
  private async stage(body: Readable, maxBytes: number): Promise<{ path: string; sha256: string; size: number; head: Buffer }> {
    await fs.promises.mkdir(this.store.stagingDir, { recursive: true });
    const file = path.join(this.store.stagingDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(tooLarge(maxBytes));
        if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // the request stream is piped, not handed to pipeline: refusing a file that grows too large must not destroy the
    // request (the client could not read the 413); the rest of its body is discarded instead
    const source = new PassThrough();
    const aborted = () => {
      if (!body.readableEnded) source.destroy(new Error('the upload was aborted'));
    };
    body.once('error', (error) => source.destroy(error));
    body.once('close', aborted);
    body.pipe(source);
    try {
      await pipeline(source, meter, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      body.unpipe(source);
      body.resume();
      await fs.promises.rm(file, { force: true });
      // the client went away mid-upload: nothing was stored
      if (error instanceof DomainError) throw error;
      throw invalid('file.upload_incomplete', 'body', 'The upload ended before the whole file arrived.');
    }
    body.off('close', aborted);
    return { path: file, sha256: hash.digest('hex'), size, head };
  }

  private async readable(ctx: RequestContext, id: string): Promise<{ row: Selectable<FileRecordTable>; access: OwnerAccess }> {
    requireActor(ctx.actor);
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.selectFrom('file_record').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    const owner = row ? this.owners.get(row.owner_kind) : undefined;
    const access = row && owner ? await owner.canRead(ctx, row.owner_id) : null;
    if (!row || !access) throw notFound('file.not_found', 'No file with that id that you may read.', 'id');
    return { row, access };
  }

  async describe(ctx: RequestContext, id: string): Promise<FileView> {
    return toView((await this.readable(ctx, id)).row);
  }

  /** The files attached to one object, newest first. */
  async list(ctx: RequestContext, ownerKind: string, ownerId: string): Promise<FileView[]> {
    const access = await this.owner(ownerKind).canRead(ctx, ownerId);
    if (!access) throw notFound('file.owner_not_found', `No ${ownerKind} ${ownerId} whose files you may read.`, 'ownerId');
    const rows = await this.db.selectFrom('file_record').selectAll().where('owner_kind', '=', ownerKind).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').limit(500).execute();
    return rows.map(toView);
  }

  /**
   * Removes blobs no file record names, stored more than `graceMs` ago (an upload puts its blob before its record
   * commits: a younger blob may be one whose record is on its way). Returns how many were removed.
   */
  async collectGarbage(now: Date, graceMs = 24 * 3600_000): Promise<number> {
    let removed = 0;
    for await (const blob of this.store.list()) {
      if (now.getTime() - blob.storedAt.getTime() < graceMs) continue;
      const named = await this.db.selectFrom('file_record').select('id').where('sha256', '=', blob.sha256).limit(1).executeTakeFirst();
      if (named) continue;
      await this.store.delete(blob.sha256);
      removed++;
    }
    return removed;
  }

  /** The content as a stream, after the read is recorded in the access log (files attached to people are personal data). */
  async download(ctx: RequestContext, id: string): Promise<{ file: FileView; stream: Readable }> {
    const { row, access } = await this.readable(ctx, id);
    const stream = await this.store.get(row.sha256);
    if (!stream) throw new DomainError('file.content_missing', 'unavailable', 'The file is recorded but its content is missing from the store.');
    try {
      await this.audit.recordAccess(ctx, {
        resource: 'file',
        subjectIds: [`${row.owner_kind}:${row.owner_id}`],
        fields: ['content'],
        permission: access.permission,
        scope: access.scope,
        regionCode: access.regionCode ?? null,
        detail: { fileId: row.id, name: row.original_name, sha256: row.sha256, use: row.use },
      });
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return { file: toView(row), stream };
  }
}
