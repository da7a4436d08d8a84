// Request and response schemas of the department routes.
import { Type } from 'typebox';
import { CREDIT_CODE_CHARSET } from '../../shared/validators/credit-code.ts';
import { DEPARTMENT_KINDS, DEPARTMENT_KIND_LABELS, type DepartmentKind } from './kinds.ts';
import { REGION_FILTER_PATTERN } from '../../shared/validators/region-code.ts';
import { DEPARTMENT_CODE_PATTERN, DISPLAY_TEXT_PATTERN } from '../../shared/validators/text.ts';

export const DepartmentKindSchema = Type.Unsafe<DepartmentKind>({
  type: 'string',
  enum: [...DEPARTMENT_KINDS],
  description: DEPARTMENT_KINDS.map((k) => `${k} ${DEPARTMENT_KIND_LABELS[k]}`).join(' · '),
});

const RegionCode = Type.String({ pattern: REGION_FILTER_PATTERN, description: 'GB/T 2260 / NBS division code' });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: DISPLAY_TEXT_PATTERN, description: 'Full name, e.g. 哈密市发展和改革委员会' });
const ShortName = Type.String({ minLength: 1, maxLength: 50, pattern: DISPLAY_TEXT_PATTERN, description: 'Short name, e.g. 市发改委' });
// Deliberately loose (length only): the service answers a wrong code with department.invalid_credit_code and its reason.
const CreditCode = Type.String({ minLength: 1, maxLength: 32, description: `统一社会信用代码 (GB 32100): 18 characters from ${CREDIT_CODE_CHARSET}, upper case` });
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DepartmentSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  shortName: Nullable(Type.String()),
  kind: Type.String({ description: `One of ${DEPARTMENT_KINDS.join(', ')}` }),
  regionCode: Type.String(),
  regionName: Type.String(),
  parentId: Nullable(Type.String()),
  creditCode: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  abilities: Type.Array(Type.Union([Type.Literal('update'), Type.Literal('add_user')]), {
    description: 'What you may do to this department: update (departments.manage), add_user (create accounts in it)',
  }),
});

export const NewDepartmentBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 32, pattern: DEPARTMENT_CODE_PATTERN, description: 'Stable short code, e.g. 6505-FGW' }),
    name: Name,
    shortName: Type.Optional(Nullable(ShortName)),
    kind: DepartmentKindSchema,
    regionCode: RegionCode,
    parentId: Type.Optional(Nullable(Uuid)),
    creditCode: Type.Optional(Nullable(CreditCode)),
  },
  { additionalProperties: false },
);

export const DepartmentPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    shortName: Type.Optional(Nullable(ShortName)),
    kind: Type.Optional(DepartmentKindSchema),
    parentId: Type.Optional(Nullable(Uuid)),
    creditCode: Type.Optional(Nullable(CreditCode)),
  },
  { additionalProperties: false, minProperties: 1, description: 'The fields to change; null clears shortName, parentId or creditCode' },
);
