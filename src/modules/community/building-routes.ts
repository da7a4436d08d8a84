// HTTP routes of one building: its residents, and editing it.
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { BuildingService } from './buildings.ts';
import { RELATIONS, RESIDENCE_STATUSES } from './kinds.ts';
import { BuildingSchema } from './schema.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

const BuildingDetail = Type.Object({
  ...BuildingSchema.properties,
  residents: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
      age: Type.Integer(),
      idNumber: Type.String({ description: 'masked (6+4)' }),
      relation: Nullable(Type.Union(RELATIONS.map((r) => Type.Literal(r)))),
      residenceStatus: Type.Union(RESIDENCE_STATUSES.map((r) => Type.Literal(r))),
      householdNo: Nullable(Type.String()),
    }),
  ),
});

const EditBuildingBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    floors: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 200 }))),
    gridId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);

export function buildingRoutes(app: App, buildings: BuildingService): void {
  app.get(
    '/api/community/buildings/:id',
    { schema: { tags: ['community'], summary: 'A building in your jurisdiction with its active residents (community.read)', params: Type.Object({ id: Uuid }), response: { 200: BuildingDetail, ...errorResponses } } },
    async (request) => buildings.get(request.ctx, request.params.id),
  );
  app.patch(
    '/api/community/buildings/:id',
    { schema: { tags: ['community'], summary: 'Edit a building: name, address, floors, grid (community.manage)', params: Type.Object({ id: Uuid }), body: EditBuildingBody, response: { 200: BuildingDetail, ...errorResponses } } },
    async (request) => buildings.edit(request.ctx, request.params.id, request.body),
  );
}
