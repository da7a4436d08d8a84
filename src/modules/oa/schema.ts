// TypeBox schemas of the OA routes (request and response).
import { Type } from 'typebox';
import { PageQuery, SearchTerm, Uuid } from '../../http/schemas.ts';
import { ROLES } from '../../shared/access.ts';
import { DOCUMENT_ABILITIES, OA_KINDS, OA_MARKINGS, OA_STATUSES, OA_URGENCIES } from './kinds.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });

export const RecipientsBody = Type.Object(
  {
    departments: Type.Optional(Type.Array(Type.Object({ id: Uuid, withSubDepartments: Type.Boolean({ default: false }) }, { additionalProperties: false }), { maxItems: 1000 })),
    regions: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2,12}$' }), { maxItems: 500 })),
    roles: Type.Optional(Type.Array(Enum(ROLES), { maxItems: ROLES.length })),
  },
  { additionalProperties: false },
);

const DocumentFields = {
  kind: Enum(OA_KINDS, 'notice 通知公告 · official 公文'),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  number: Type.Optional(Nullable(Type.String({ maxLength: 60, description: '文号, e.g. 哈政办发〔2026〕12号; unique per sending department and year' }))),
  urgency: Type.Optional(Enum(OA_URGENCIES, 'normal 平件 · urgent 急件 · very_urgent 特急')),
  marking: Type.Optional(Enum(OA_MARKINGS, 'public 公开 · internal 内部 (nothing classified)')),
  body: Type.Optional(Type.String({ maxLength: 200_000, description: 'Plain text or limited HTML (p, br, strong, em, u, lists, h3/h4, blockquote); sanitised' })),
  recipients: Type.Optional(RecipientsBody),
  signDeadline: Type.Optional(Nullable(Instant)),
  supersedesId: Type.Optional(Nullable(Uuid)),
};

export const NewDocumentBody = Type.Object(DocumentFields, { additionalProperties: false });
export const UpdateDocumentBody = Type.Object(
  { ...DocumentFields, kind: Type.Optional(DocumentFields.kind), title: Type.Optional(DocumentFields.title), supersedesId: Type.Optional(Type.Never()) },
  { additionalProperties: false },
);

const Summary = {
  id: Type.String(),
  kind: Enum(OA_KINDS),
  title: Type.String(),
  number: Nullable(Type.String()),
  urgency: Enum(OA_URGENCIES),
  marking: Enum(OA_MARKINGS),
  status: Enum(OA_STATUSES),
  sender: Type.Object({ id: Type.String(), name: Type.String() }),
  signDeadline: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  createdAt: Type.String(),
  recipientCount: Type.Integer({ description: 'Receipts (users) created when sent' }),
  supersedesId: Nullable(Type.String()),
  supersededById: Nullable(Type.String()),
};

const FileSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  mediaType: Type.String(),
  name: Type.String(),
  use: Type.String(),
  ownerKind: Type.String(),
  ownerId: Type.String(),
  uploadedBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

const Ability = Enum(DOCUMENT_ABILITIES);

export const DocumentSchema = Type.Object({
  ...Summary,
  body: Type.String(),
  recipients: Type.Object({
    departments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), withSubDepartments: Type.Boolean() })),
    regions: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    roles: Type.Array(Type.String()),
  }),
  signedCount: Type.Integer(),
  myReceipt: Nullable(Type.Object({ readAt: Nullable(Type.String()), signedAt: Nullable(Type.String()) })),
  attachments: Type.Array(FileSchema),
  abilities: Type.Array(Ability),
});

export const ReceivedItemSchema = Type.Object({ ...Summary, readAt: Nullable(Type.String()), signedAt: Nullable(Type.String()) });
export const ListedDocumentSchema = Type.Object({ ...Summary, signedCount: Type.Integer() });

export const SignResult = Type.Object({ signedAt: Type.String(), alreadySigned: Type.Boolean({ description: 'true when the caller had signed already (nothing changed)' }) });

const Counts = { total: Type.Integer(), signed: Type.Integer(), unsigned: Type.Integer(), read: Type.Integer() };
export const ReceiptTableSchema = Type.Object({
  documentId: Type.String(),
  totals: Type.Object(Counts),
  departments: Type.Array(Type.Object({ departmentId: Type.String(), name: Type.String(), ...Counts })),
});

export const ReceiptUsersQuery = Type.Object({ departmentId: Type.Optional(Uuid), signed: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false });
export const ReceiptUsersSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      userId: Type.String(),
      username: Type.String(),
      displayName: Type.String(),
      department: Type.Object({ id: Type.String(), name: Type.String() }),
      readAt: Nullable(Type.String()),
      signedAt: Nullable(Type.String()),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const ReceivedQuery = Type.Object({ signed: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false });
export const SentQuery = Type.Object({ status: Type.Optional(Enum(OA_STATUSES)), q: Type.Optional(SearchTerm), ...PageQuery }, { additionalProperties: false });
export const ArchiveQuery = Type.Object(
  {
    q: Type.Optional(SearchTerm),
    senderDepartmentId: Type.Optional(Uuid),
    from: Type.Optional(DateOnly),
    to: Type.Optional(DateOnly),
    status: Type.Optional(Enum(OA_STATUSES.filter((x) => x !== 'draft'))),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const RecipientOptionsSchema = Type.Object({
  departments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), parentId: Nullable(Type.String()), regionCode: Type.String(), regionName: Type.String() })),
  regionRoots: Type.Array(Type.String(), { description: 'Roots of the regions where the caller may send' }),
});
