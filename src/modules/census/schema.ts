// TypeBox schemas of community statistics: query strings and responses.
import { Type } from 'typebox';
import { DIMENSIONS } from './kinds.ts';

const dims = DIMENSIONS.join(', ');

export const BreakdownQuery = Type.Object(
  {
    dimension: Type.String({ maxLength: 40, description: `The dimension: ${dims}` }),
    region: Type.Optional(Type.String({ maxLength: 12, description: 'Region code of the node (any of the four levels); default the top of your jurisdiction' })),
    asOf: Type.Optional(Type.String({ maxLength: 10, description: 'Day YYYY-MM-DD, today or past (China time); default today' })),
  },
  { additionalProperties: false },
);

export const CrossTabQuery = Type.Object(
  {
    dimension: Type.String({ maxLength: 40, description: `Rows: ${dims}` }),
    second: Type.String({ maxLength: 40, description: 'Columns: another dimension' }),
    region: Type.Optional(Type.String({ maxLength: 12 })),
    asOf: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object(
  {
    dimension: Type.String({ maxLength: 40, description: `The breakdown's dimension: ${dims}` }),
    second: Type.Optional(Type.String({ maxLength: 40, description: 'With a second dimension the workbook has a cross-tab sheet too' })),
    region: Type.Optional(Type.String({ maxLength: 12 })),
    asOf: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

const RegionRefSchema = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer({ description: '1 prefecture · 2 county · 3 street/township · 4 community/village' }) });

const NodeCountsSchema = Type.Object({
  ...RegionRefSchema.properties,
  total: Type.Integer({ description: 'Residents in the node, each once' }),
  counts: Type.Record(Type.String(), Type.Integer(), { description: "Residents by value (with 'label' a resident counts under each label; 'none' without one)" }),
});

const NamesSchema = Type.Record(Type.String(), Type.String(), { description: 'Chinese names of data-driven values (ethnic groups, labels)' });

export const BreakdownSchema = Type.Object({
  asOf: Type.String(),
  dimension: Type.String(),
  source: Type.Union([Type.Literal('cube'), Type.Literal('registry')], { description: "'cube': today's incrementally kept roll-up; 'registry': a past day from the residence history" }),
  values: Type.Array(Type.String(), { description: 'The values in display order' }),
  names: NamesSchema,
  ancestors: Type.Array(RegionRefSchema, { description: 'Regions above the node inside your jurisdiction, top first' }),
  node: NodeCountsSchema,
  children: Type.Array(NodeCountsSchema, { description: 'The next level down (drill-down)' }),
});

export const CrossTabSchema = Type.Object({
  asOf: Type.String(),
  region: RegionRefSchema,
  ancestors: Type.Array(RegionRefSchema),
  rows: Type.Object({ dimension: Type.String(), values: Type.Array(Type.String()) }),
  columns: Type.Object({ dimension: Type.String(), values: Type.Array(Type.String()) }),
  names: NamesSchema,
  cells: Type.Array(Type.Array(Type.Integer()), { description: 'cells[i][j]: residents with rows.values[i] and columns.values[j]' }),
  total: Type.Integer({ description: 'Residents in the region, each once' }),
});
