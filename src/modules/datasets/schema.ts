// TypeBox schemas of the datasets routes.
import { Type } from 'typebox';

export const LoadStatusSchema = Type.Union([
  Type.Literal('receiving'),
  Type.Literal('validating'),
  Type.Literal('committing'),
  Type.Literal('committed'),
  Type.Literal('rejected'),
  Type.Literal('failed'),
]);

export const LoadSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  departmentId: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()], { description: "The resource's data version this load made (when committed)" }),
  source: Type.Union([Type.Literal('file'), Type.Literal('api')]),
  fileName: Type.Union([Type.String(), Type.Null()]),
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json'), Type.Null()]),
  encoding: Type.Union([Type.String(), Type.Null()]),
  mode: Type.Union([Type.Literal('upsert'), Type.Literal('replace')]),
  allOrNothing: Type.Boolean(),
  status: LoadStatusSchema,
  bytesTotal: Type.Union([Type.Integer(), Type.Null()]),
  bytesRead: Type.Integer(),
  totalRows: Type.Integer(),
  acceptedRows: Type.Integer(),
  rejectedRows: Type.Integer(),
  insertedRows: Type.Integer(),
  updatedRows: Type.Integer(),
  stats: Type.Union([
    Type.Object({
      completeness: Type.Record(Type.String(), Type.Number(), { description: 'Per item: share of accepted rows with a value (0–1)' }),
      deletedRows: Type.Integer(),
      duplicateKeys: Type.Integer(),
      unknownColumns: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

export const RejectionSchema = Type.Object({
  rowNo: Type.Integer({ description: 'Data row number (1-based, header not counted); 0 for the header (unknown columns)' }),
  item: Type.String(),
  value: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  message: Type.String(),
});

export const ResourceRef = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Resource id or code' });
export const LoadMode = Type.Union([Type.Literal('upsert'), Type.Literal('replace')], { description: 'upsert (default): by key; replace: rows the load does not name are deleted' });

export const MyResourceSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  status: Type.String(),
  rows: Type.Integer(),
  lastVersion: Type.Union([Type.Integer(), Type.Null()]),
});

export const PreviewSchema = Type.Object({
  items: Type.Array(Type.Object({ key: Type.String(), loadId: Type.String(), seq: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) })),
  masked: Type.Boolean(),
});
