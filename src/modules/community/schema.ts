// TypeBox schemas of the community registry API (requests and responses).
import { Type, type Static } from 'typebox';
import { CountedPage, PageQuery, SearchTerm } from '../../http/schemas.ts';
import { FACTS, RELATIONS, RESIDENCE_STATUSES, RESIDENT_STATUSES } from './kinds.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const RegionCode = Type.String({ pattern: '^[0-9]{2,12}$', description: 'A region code (统计用区划代码)' });
/** Checked by the service (so the error names its own code): an 18-character 公民身份号码. */
const IdNumberText = Type.String({ minLength: 1, maxLength: 32, description: '18-character 公民身份号码 (GB 11643); checked against its region prefix' });
const PhoneText = Type.String({ maxLength: 20, description: 'Mainland mobile number' });
const EthnicityText = Type.String({ pattern: '^[0-9]{2}$', description: 'GB/T 3304 code of the ethnic group (GET /api/community/ethnicities)' });
const CommaList = (description: string) => Type.String({ maxLength: 400, pattern: '^[a-z0-9_,]*$', description });

export const ResidentSchema = Type.Object({
  id: Type.String(),
  idNumber: Type.String({ description: 'Masked 6+4 unless you hold community.read_sensitive' }),
  name: Type.String(),
  sex: Enum(['M', 'F'] as const),
  birthDate: Type.String(),
  age: Type.Integer({ description: 'Whole years today (China)' }),
  ethnicity: Type.String(),
  phone: Nullable(Type.String({ description: 'Masked 3+4 unless you hold community.read_sensitive' })),
  householdId: Nullable(Type.String()),
  relation: Nullable(Enum(RELATIONS)),
  buildingId: Nullable(Type.String()),
  gridId: Nullable(Type.String()),
  communityCode: Type.String(),
  communityName: Type.String(),
  address: Type.String(),
  residenceStatus: Enum(RESIDENCE_STATUSES),
  status: Enum(RESIDENT_STATUSES),
  movedInOn: Type.String(),
  labels: Type.Array(Type.String()),
  version: Type.Integer(),
  masked: Type.Boolean({ description: 'Whether idNumber and phone are masked' }),
  updatedAt: Type.String(),
});
export type ResidentView = Static<typeof ResidentSchema>;

export const ResidentPage = Type.Object({
  ...CountedPage(ResidentSchema).properties,
  totalExact: Type.Boolean({ description: 'false when more than 10,000 residents match: total is then 10,000, a lower bound ("10,000+")' }),
});

export const ResidentListQuery = Type.Object(
  {
    q: Type.Optional(SearchTerm),
    region: Type.Optional(RegionCode),
    gridId: Type.Optional(Type.String({ format: 'uuid' })),
    sex: Type.Optional(Enum(['M', 'F'] as const)),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    ethnicity: Type.Optional(Type.String({ maxLength: 200, pattern: '^[0-9]{2}(,[0-9]{2})*$', description: 'GB/T 3304 codes, comma-separated' })),
    residenceStatus: Type.Optional(CommaList(`Comma-separated: ${RESIDENCE_STATUSES.join(', ')}`)),
    labels: Type.Optional(CommaList('Label codes, comma-separated (any of them)')),
    hasFacts: Type.Optional(CommaList(`Facts that hold, comma-separated: ${FACTS.join(', ')}`)),
    lacksFacts: Type.Optional(CommaList('Facts that do not hold or are unknown, comma-separated')),
    status: Type.Optional(Enum(RESIDENT_STATUSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ResidentListQuery = Static<typeof ResidentListQuery>;

export const ExportQuery = Type.Object(
  { ...Type.Omit(ResidentListQuery, ['cursor', 'limit']).properties, format: Enum(['csv', 'xlsx'] as const) },
  { additionalProperties: false },
);

export const NewResidentBody = Type.Object(
  {
    idNumber: IdNumberText,
    name: Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\x00-\\x1f]*\\S[^\\x00-\\x1f]*$' }),
    sex: Type.Optional(Enum(['M', 'F'] as const, 'Derived from the ID number; must match it when given')),
    birthDate: Type.Optional(Day),
    ethnicity: EthnicityText,
    phone: Type.Optional(Nullable(PhoneText)),
    communityCode: RegionCode,
    householdId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    relation: Type.Optional(Nullable(Enum(RELATIONS))),
    buildingId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    gridId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    residenceStatus: Enum(RESIDENCE_STATUSES),
    movedInOn: Type.Optional(Day),
  },
  { additionalProperties: false },
);
export type NewResident = Static<typeof NewResidentBody>;

export const EditResidentBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a newer one answers 409' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\x00-\\x1f]*\\S[^\\x00-\\x1f]*$' })),
    ethnicity: Type.Optional(EthnicityText),
    phone: Type.Optional(Nullable(PhoneText)),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    residenceStatus: Type.Optional(Enum(RESIDENCE_STATUSES)),
    buildingId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    gridId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export type EditResident = Static<typeof EditResidentBody>;

export const MoveBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    communityCode: RegionCode,
    on: Type.Optional(Day),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MoveInput = Static<typeof MoveBody>;

export const LeaveBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    status: Enum(['moved_out', 'deceased'] as const),
    on: Type.Optional(Day),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type LeaveInput = Static<typeof LeaveBody>;

export const ResidenceSchema = Type.Object({
  communityCode: Type.String(),
  communityName: Type.String(),
  residenceStatus: Enum(RESIDENCE_STATUSES),
  validFrom: Type.String(),
  validTo: Nullable(Type.String()),
  reason: Type.String(),
});
export const ResidenceList = Type.Object({ items: Type.Array(ResidenceSchema) });

// ---- grids, buildings, households ---------------------------------------------------------------------------------

export const GridSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  communityCode: Type.String(),
  communityName: Type.String(),
  workers: Type.Array(Type.Object({ userId: Type.String(), displayName: Type.String(), username: Type.String() })),
  residents: Type.Integer(),
});
export type GridView = Static<typeof GridSchema>;
export const GridList = Type.Object({ items: Type.Array(GridSchema) });
export const GridListQuery = Type.Object({ community: Type.Optional(RegionCode) }, { additionalProperties: false });
export const NewGridBody = Type.Object({ communityCode: RegionCode, name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const RenameGridBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const WorkerBody = Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const BuildingSchema = Type.Object({
  id: Type.String(),
  communityCode: Type.String(),
  gridId: Nullable(Type.String()),
  name: Type.String(),
  address: Type.String(),
  floors: Nullable(Type.Integer()),
});
export const BuildingList = Type.Object({ items: Type.Array(BuildingSchema) });
export const NewBuildingBody = Type.Object(
  {
    communityCode: RegionCode,
    gridId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    floors: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 200 }))),
  },
  { additionalProperties: false },
);

export const HouseholdSchema = Type.Object({
  id: Type.String(),
  householdNo: Type.String(),
  communityCode: Type.String(),
  gridId: Nullable(Type.String()),
  buildingId: Nullable(Type.String()),
  address: Type.String(),
  memberCount: Type.Integer(),
  members: Type.Array(Type.Object({ residentId: Type.String(), name: Type.String(), relation: Nullable(Enum(RELATIONS)), sex: Enum(['M', 'F'] as const), age: Type.Integer() })),
});
export type HouseholdView = Static<typeof HouseholdSchema>;
export const HouseholdPage = CountedPage(Type.Omit(HouseholdSchema, ['members']));
export const HouseholdListQuery = Type.Object({ community: Type.Optional(RegionCode), ...PageQuery }, { additionalProperties: false });
export const NewHouseholdBody = Type.Object(
  {
    communityCode: RegionCode,
    gridId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    buildingId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    address: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const MemberBody = Type.Object({ residentId: Type.String({ format: 'uuid' }), relation: Enum(RELATIONS) }, { additionalProperties: false });

export const EthnicityList = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })) });
export const LabelList = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), color: Type.String() })) });

export const ImportBody = Type.Object({ rows: Type.Array(NewResidentBody, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false });
export const ImportReportSchema = Type.Object({
  rows: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  rejections: Type.Array(Type.Object({ row: Type.Integer(), field: Nullable(Type.String()), code: Type.String(), message: Type.String() })),
});
