// TypeBox schemas of the catalogue API.
import { Type } from 'typebox';
import { PageQuery, SearchTerm } from '../../http/schemas.ts';
import { CLASS_CODE_PATTERN, FORMATS, ITEM_CODE_PATTERN, ITEM_MASKS, ITEM_TYPES, OPEN_ATTRS, RESOURCE_CLASSES, RESOURCE_CODE_PATTERN, SHARE_MODES, SHARE_TYPES, THEMES, UPDATE_CYCLES } from './rules.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const ItemSchema = Type.Object({
  code: Type.String({ pattern: ITEM_CODE_PATTERN, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  type: Enum(ITEM_TYPES),
  maxLength: Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()]),
  required: Type.Boolean(),
  isKey: Type.Boolean(),
  sensitivity: Type.Integer({ minimum: 1, maximum: 4, description: '1 公开 … 4 高度敏感' }),
  shareType: Enum(SHARE_TYPES, '无条件共享 / 有条件共享 / 不予共享'),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  mask: Type.Union([Enum(ITEM_MASKS), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
});

export const ItemInputSchema = Type.Object(
  {
    code: Type.String({ maxLength: 64 }),
    name: Type.String({ maxLength: 100 }),
    type: Enum(ITEM_TYPES),
    maxLength: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()])),
    required: Type.Optional(Type.Boolean()),
    isKey: Type.Optional(Type.Boolean()),
    sensitivity: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
    shareType: Enum(SHARE_TYPES),
    legalBasis: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    mask: Type.Optional(Type.Union([Enum(ITEM_MASKS), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const resourceInputFields = {
  name: Type.String({ maxLength: 200 }),
  class: Enum(RESOURCE_CLASSES, '基础 / 主题 / 部门'),
  classCode: Type.String({ maxLength: 32, description: `GB/T 21063 class code, ${CLASS_CODE_PATTERN}` }),
  theme: Type.Optional(Type.Union([Enum(THEMES), Type.Null()])),
  providerDepartmentId: Type.String({ format: 'uuid' }),
  summary: Type.Optional(Type.String({ maxLength: 2000 })),
  format: Enum(FORMATS),
  updateCycle: Enum(UPDATE_CYCLES),
  relatedCodes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  openAttr: Enum(OPEN_ATTRS, '不开放 / 有条件开放 / 无条件开放'),
  shareModes: Type.Array(Enum(SHARE_MODES), { maxItems: 3, description: '接口 / 文件 / 订阅' }),
  regionItem: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  personItem: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  upstreamUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  items: Type.Array(ItemInputSchema, { maxItems: 200 }),
};

export const NewResourceBody = Type.Object(
  { code: Type.Optional(Type.String({ maxLength: 64, description: `前段码/后段码 (${RESOURCE_CODE_PATTERN}); generated when absent` })), ...resourceInputFields },
  { additionalProperties: false },
);

export const UpdateResourceBody = Type.Object(
  { code: Type.Optional(Type.String({ maxLength: 64 })), expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'Refused with 409 when the resource is at another version' })), ...resourceInputFields },
  { additionalProperties: false },
);

const ShareTypeCounts = Type.Object({ unconditional: Type.Integer(), conditional: Type.Integer(), none: Type.Integer() });

const summaryFields = {
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  class: Enum(RESOURCE_CLASSES),
  classCode: Type.String(),
  theme: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(),
  summary: Type.String(),
  format: Type.String(),
  updateCycle: Enum(UPDATE_CYCLES),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  openAttr: Enum(OPEN_ATTRS),
  shareModes: Type.Array(Enum(SHARE_MODES)),
  status: Enum(['draft', 'published', 'withdrawn'] as const),
  version: Type.Integer(),
  updatedAt: Type.String(),
  itemCount: Type.Integer(),
  shareTypes: ShareTypeCounts,
  abilities: Type.Array(Type.String(), { description: 'update, publish, withdraw, request' }),
};

export const ResourceSummarySchema = Type.Object(summaryFields);

export const ResourceDetailSchema = Type.Object({
  ...summaryFields,
  relatedCodes: Type.Array(Type.String()),
  regionItem: Type.Union([Type.String(), Type.Null()]),
  personItem: Type.Union([Type.String(), Type.Null()]),
  upstreamUrl: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(ItemSchema),
});

const FacetCount = Type.Object({ value: Type.String(), label: Type.Union([Type.String(), Type.Null()]), count: Type.Integer() });

export const SearchResultSchema = Type.Object({
  items: Type.Array(ResourceSummarySchema),
  total: Type.Integer({ minimum: 0 }),
  facets: Type.Object({
    provider: Type.Array(FacetCount),
    class: Type.Array(FacetCount),
    shareType: Type.Array(FacetCount),
    updateCycle: Type.Array(FacetCount),
    theme: Type.Array(FacetCount),
    openAttr: Type.Array(FacetCount),
  }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const searchFilterFields = {
  q: Type.Optional(SearchTerm),
  providerId: Type.Optional(Type.String({ format: 'uuid' })),
  class: Type.Optional(Enum(RESOURCE_CLASSES)),
  shareType: Type.Optional(Enum(SHARE_TYPES, 'Resources having an item of this share type')),
  updateCycle: Type.Optional(Enum(UPDATE_CYCLES)),
  theme: Type.Optional(Enum(THEMES)),
  openAttr: Type.Optional(Enum(OPEN_ATTRS)),
  status: Type.Optional(Enum(['draft', 'published', 'withdrawn'] as const)),
};

export const SearchQuerySchema = Type.Object({ ...searchFilterFields, ...PageQuery }, { additionalProperties: false });
export const ExportQuerySchema = Type.Object({ ...searchFilterFields, format: Enum(['json', 'csv', 'jsonld'] as const) }, { additionalProperties: false });

const Change = Type.Object({ field: Type.String({ description: 'A field, or items/<code>[/<field>]' }), from: Type.Unknown(), to: Type.Unknown() });

export const VersionsSchema = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer(), changedAt: Type.String(), changedBy: Type.Union([Type.String(), Type.Null()]), changes: Type.Array(Change) })),
});
export const VersionSchema = Type.Object({ version: Type.Integer(), changedAt: Type.String(), snapshot: Type.Unknown() });
export const DiffSchema = Type.Object({ from: Type.Integer(), to: Type.Integer(), changes: Type.Array(Change) });

export const DemandSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  items: Type.Array(Type.String()),
  purpose: Type.String(),
  department: Type.Object({ id: Type.String(), name: Type.String() }),
  suggestedProvider: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  status: Enum(['open', 'matched', 'closed'] as const),
  resource: Type.Union([Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }), Type.Null()]),
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  abilities: Type.Array(Type.String(), { description: 'match, close' }),
});

export const NewDemandBody = Type.Object(
  {
    title: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    items: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
    purpose: Type.String({ maxLength: 500 }),
    suggestedProviderId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const DemandQuerySchema = Type.Object(
  { status: Type.Optional(Enum(['open', 'matched', 'closed'] as const)), departmentId: Type.Optional(Type.String({ format: 'uuid' })), q: Type.Optional(SearchTerm), ...PageQuery },
  { additionalProperties: false },
);

export const DecideDemandBody = Type.Union([
  Type.Object({ action: Type.Literal('match'), resource: Type.String({ maxLength: 64, description: 'Code or id of a published resource you manage' }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('close'), note: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
]);
