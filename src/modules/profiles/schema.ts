// Request and response schemas of the resident profile; the console imports its types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';
import { ResidentSourceSchema } from '../residents/index.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const FactName = Type.Union([
  Type.Literal('social_security'),
  Type.Literal('medical_insurance'),
  Type.Literal('family_planning'),
  Type.Literal('party_member'),
  Type.Literal('disability'),
  Type.Literal('low_income'),
  Type.Literal('elderly_alone'),
  Type.Literal('veteran'),
]);
export const LabelCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' });
export const Note = Type.String({ maxLength: 200, pattern: '^[^\\x00-\\x1f]*$' });

export const ProfileLabelSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  color: Type.String(),
  note: Type.String(),
  addedAt: Type.String({ format: 'date-time' }),
});

export const ProfileSourceSchema = Type.Object({
  ...ResidentSourceSchema.properties,
  /** Newest row update among the records shown. */
  rowUpdatedAt: Nullable(Type.String({ format: 'date-time' })),
  stale: Type.Boolean({ description: 'granted and the last load is older than the update cycle (or there was none)' }),
  facts: Type.Array(FactName, { description: 'The fact flags this resource is a source of' }),
  applyPath: Nullable(Type.String({ description: 'no_grant: the console page to apply for a grant' })),
});

export const ProfileSchema = Type.Object({
  resident: Type.Object({
    id: Type.String(),
    idNumber: Type.String({ description: 'masked (6+4) unless community.read_sensitive' }),
    name: Type.String(),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
    birthDate: Type.String(),
    age: Type.Integer(),
    ethnicity: Type.String(),
    phone: Nullable(Type.String({ description: 'masked (3+4) unless community.read_sensitive' })),
    address: Type.String(),
    residenceStatus: Type.String(),
    status: Type.String(),
    movedInOn: Type.String(),
    communityCode: Type.String(),
    communityName: Nullable(Type.String()),
    gridId: Nullable(Type.String()),
    gridName: Nullable(Type.String()),
  }),
  masked: Type.Boolean(),
  household: Nullable(
    Type.Object({
      id: Type.String(),
      householdNo: Type.String(),
      address: Type.String(),
      memberCount: Type.Integer(),
      members: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), idNumber: Type.String(), sex: Type.String(), age: Type.Integer(), relation: Nullable(Type.String()), status: Type.String(), self: Type.Boolean() }),
      ),
    }),
  ),
  labels: Type.Array(ProfileLabelSchema),
  facts: Type.Array(
    Type.Object({
      fact: FactName,
      value: Type.Boolean(),
      sourceResourceCode: Type.String(),
      sourceUpdatedAt: Nullable(Type.String({ format: 'date-time' })),
      refreshedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  consumer: Nullable(Type.Object({ departmentId: Type.String(), departmentName: Type.String(), clientAppId: Nullable(Type.String()), clientName: Nullable(Type.String()), purpose: Type.String() })),
  sources: Type.Array(ProfileSourceSchema),
  abilities: Type.Object({ manageLabels: Type.Boolean() }),
  generatedAt: Type.String({ format: 'date-time' }),
});

export const AttachBody = Type.Object({ label: LabelCode, note: Type.Optional(Note) }, { additionalProperties: false });
export const LabelsResultSchema = Type.Object({ created: Type.Boolean(), labels: Type.Array(ProfileLabelSchema) });

export const LabelCountSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  color: Type.String(),
  visitIntervalDays: Nullable(Type.Integer()),
  count: Type.Integer({ description: 'active residents in your jurisdiction carrying the label' }),
});
export const LabelCountsSchema = Type.Object({ items: Type.Array(LabelCountSchema) });

export type Profile = Static<typeof ProfileSchema>;
export type ProfileSource = Static<typeof ProfileSourceSchema>;
export type ProfileLabel = Static<typeof ProfileLabelSchema>;
export type LabelCount = Static<typeof LabelCountSchema>;
export type AttachInput = Static<typeof AttachBody>;
