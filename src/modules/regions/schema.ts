// Request and response schemas of the regions routes.
import { Type, type TSchema } from 'typebox';
import { SearchTerm } from '../../http/schemas.ts';
import { REGION_CODE_PATTERN } from '../../shared/validators/region-code.ts';
import { PLAIN_TEXT_PATTERN } from '../../shared/validators/text.ts';
import { TREE_DEPTH_MAX } from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A GB/T 2260 / NBS division code of a region row: 4 (prefecture), 6, 9 or 12 digits. */
export const RegionCodeParam = Type.String({ minLength: 4, maxLength: 12, pattern: REGION_CODE_PATTERN, description: 'Division code (4, 6, 9 or 12 digits)' });
export const DateString = Type.String({ minLength: 10, maxLength: 10, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Calendar date YYYY-MM-DD (China time)' });
const Level = Type.Integer({ minimum: 1, maximum: 4, description: '1 prefecture · 2 county · 3 township/street · 4 community/village' });
const ChangeKind = Type.Union([Type.Literal('rename'), Type.Literal('merge'), Type.Literal('retire'), Type.Literal('reparent')]);

export const RegionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  parentCode: Nullable(Type.String()),
  path: Type.String({ description: "Materialized chain of codes, '/6505/650502/'" }),
  validFrom: Type.String({ description: 'First day the region exists' }),
  validTo: Nullable(Type.String({ description: 'First day it no longer exists (merged or retired); null while current' })),
  successorCode: Nullable(Type.String({ description: 'The region it was merged into' })),
  abilities: Type.Array(Type.Union([Type.Literal('rename'), Type.Literal('merge'), Type.Literal('retire')]), {
    description: 'What you may do to this region (regions.manage over it, and the region current)',
  }),
});

export const HistoryEntrySchema = Type.Object({
  name: Type.String(),
  parentCode: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Type.String({ description: 'Exclusive: the first day the name no longer held' }),
  change: ChangeKind,
});

export const RegionDetailSchema = Type.Object({
  ...RegionSchema.properties,
  history: Type.Array(HistoryEntrySchema),
  asOf: Type.Optional(
    Type.Object({ date: Type.String(), name: Nullable(Type.String({ description: 'null when the region did not exist that day' })) }, { description: 'Present when ?at= was given' }),
  ),
});

/** A tree node `levels` deep; written out level by level (depth is bounded) rather than as a recursive $ref. */
function treeNode(levels: number): TSchema {
  return Type.Object({
    code: Type.String(),
    name: Type.String(),
    level: Type.Integer(),
    children: levels === 0 ? Type.Array(Type.Object({}), { maxItems: 0 }) : Type.Array(treeNode(levels - 1)),
  });
}
export const RegionTreeSchema = treeNode(TREE_DEPTH_MAX);

export const CodeParams = Type.Object({ code: RegionCodeParam });

export const ListQuery = {
  parent: Type.Optional(RegionCodeParam),
  q: Type.Optional(SearchTerm),
  level: Type.Optional(Level),
  includeRetired: Type.Optional(Type.Boolean({ default: false, description: 'Include merged and retired regions' })),
  roots: Type.Optional(Type.Boolean({ default: false, description: 'Only the roots of your jurisdiction (one per disjoint subtree)' })),
};

export const GetQuery = Type.Object({ at: Type.Optional(DateString) }, { additionalProperties: false });

export const TreeQuery = Type.Object(
  { depth: Type.Optional(Type.Integer({ minimum: 0, maximum: TREE_DEPTH_MAX, default: 2, description: 'Levels below the root' })) },
  { additionalProperties: false },
);

const RegionName = Type.String({ minLength: 1, maxLength: 100, pattern: PLAIN_TEXT_PATTERN });

export const RenameBody = Type.Object({ name: RegionName, effectiveDate: DateString }, { additionalProperties: false });
export const MergeBody = Type.Object({ into: RegionCodeParam, effectiveDate: DateString }, { additionalProperties: false });
export const RetireBody = Type.Object({ effectiveDate: DateString }, { additionalProperties: false });
