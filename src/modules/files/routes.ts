// HTTP routes of the files module: streamed upload (raw body), metadata, attachments of an object, streamed download.
import { contentDisposition } from '../../http/content-disposition.ts';
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { FileService } from './service.ts';

const FileSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String({ description: 'SHA-256 of the content (hex); also the ETag of the download' }),
  size: Type.Integer(),
  mediaType: Type.String({ description: 'Detected from the content, not from the name' }),
  name: Type.String(),
  use: Type.String(),
  ownerKind: Type.String(),
  ownerId: Type.String(),
  uploadedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const OwnerRef = {
  ownerKind: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9_.-]*$', description: 'Kind of object the file belongs to, e.g. user' }),
  ownerId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
};

export function fileRoutes(app: App, files: FileService): void {
  // the upload's body is the file itself, streamed to the service from request.raw: no parser reads or buffers it,
  // whatever its type (and request.body stays empty, so no body check walks it)
  void app.register(async (scoped: App) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scoped.post(
      '/api/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Upload a file (the request body is the file, any Content-Type); its type is detected from its content',
          querystring: Type.Object(
            {
              ...OwnerRef,
              use: Type.String({ minLength: 1, maxLength: 50, description: 'What the file is for (avatar, material …): sets the size and type limits' }),
              name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name, e.g. 营业执照.pdf' }),
            },
            { additionalProperties: false },
          ),
          response: { 201: FileSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const length = request.headers['content-length'];
        const declaredLength = length === undefined ? undefined : Number(length);
        try {
          const file = await files.upload(request.ctx, { ...request.query, ...(declaredLength === undefined ? {} : { declaredLength }), body: request.raw });
          return await reply.status(201).send(file);
        } catch (error) {
          // a refused upload may still be streaming in: end the connection after the answer rather than read it all
          if (!request.raw.readableEnded) void reply.header('connection', 'close');
          throw error;
        }
      },
    );
  });

  app.get(
    '/api/files',
    {
      schema: {
        tags: ['files'],
        summary: 'The files attached to one object, newest first',
        querystring: Type.Object(OwnerRef, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(FileSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await files.list(request.ctx, request.query.ownerKind, request.query.ownerId) }),
  );

  app.get(
    '/api/files/:id',
    { schema: { tags: ['files'], summary: "A file's record", params: Type.Object({ id: Uuid }), response: { 200: FileSchema, ...errorResponses } } },
    async (request) => files.describe(request.ctx, request.params.id),
  );

  app.get(
    '/api/files/:id/content',
    {
      schema: {
        tags: ['files'],
        summary: 'The content, streamed, with its detected type, its name (RFC 5987) and ETag = SHA-256; the read is recorded',
        params: Type.Object({ id: Uuid }),
        produces: ['application/octet-stream', 'application/problem+json'],
        response: { 304: Type.Null({ description: 'Not modified: the If-None-Match ETag is the content hash' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { file, stream } = await files.download(request.ctx, request.params.id);
      const etag = `"${file.sha256}"`;
      if (request.headers['if-none-match'] === etag) {
        stream.destroy();
        return reply.status(304).header('etag', etag).send();
      }
      return reply
        .type(file.mediaType)
        .header('content-length', String(file.size))
        .header('etag', etag)
        .header('content-disposition', contentDisposition(file.name))
        .send(stream);
    },
  );
}
