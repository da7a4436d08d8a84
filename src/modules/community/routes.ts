// HTTP routes of the community registry: thin — schema, one service call, response mapping.
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { ETHNICITIES } from './ethnicities.ts';
import {
  BuildingList,
  BuildingSchema,
  EditResidentBody,
  EthnicityList,
  ExportQuery,
  GridList,
  GridListQuery,
  GridSchema,
  HouseholdListQuery,
  HouseholdPage,
  HouseholdSchema,
  ImportBody,
  ImportReportSchema,
  LabelList,
  LeaveBody,
  MemberBody,
  MoveBody,
  NewBuildingBody,
  NewGridBody,
  NewHouseholdBody,
  NewResidentBody,
  RenameGridBody,
  ResidenceList,
  ResidentListQuery,
  ResidentPage,
  ResidentSchema,
  WorkerBody,
} from './schema.ts';
import type { CommunityService } from './service.ts';

const tags = ['community'];
const IdParam = Type.Object({ id: Uuid });

export function communityRoutes(app: App, community: CommunityService): void {
  app.get(
    '/api/community/residents',
    {
      schema: {
        tags,
        summary: 'Residents in your jurisdiction by the one resident filter, sorted by name, with a total (community.read; ID numbers and phones masked without community.read_sensitive)',
        querystring: ResidentListQuery,
        response: { 200: ResidentPage, ...errorResponses },
      },
    },
    async (request) => community.list(request.ctx, request.query),
  );
  app.get(
    '/api/community/residents/export',
    {
      schema: {
        tags,
        summary: 'The current filter as CSV or XLSX, at most 50,000 rows, masked as on screen (community.read; audited and access-logged)',
        querystring: ExportQuery,
        response: { 200: Type.String({ description: 'The export file' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const file = await community.export(request.ctx, filters, format);
      return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.body);
    },
  );
  app.post(
    '/api/community/residents',
    { schema: { tags, summary: 'Register a resident (community.manage in the community)', body: NewResidentBody, response: { 201: ResidentSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await community.register(request.ctx, request.body)),
  );
  app.post(
    '/api/community/residents/import',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Register up to 5,000 residents at once: each row checked as a registration; rejected rows reported per row and field (out_of_jurisdiction, duplicates in the rows and in the registry); accepted rows commit together (community.manage)',
        body: ImportBody,
        response: { 200: ImportReportSchema, ...errorResponses },
      },
    },
    async (request) => community.importRows(request.ctx, request.body.rows),
  );
  app.get(
    '/api/community/residents/:id',
    { schema: { tags, summary: 'A resident in your jurisdiction (community.read)', params: IdParam, response: { 200: ResidentSchema, ...errorResponses } } },
    async (request) => community.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/community/residents/:id/residences',
    { schema: { tags, summary: 'A resident’s residence history, oldest first (community.read)', params: IdParam, response: { 200: ResidenceList, ...errorResponses } } },
    async (request) => community.history(request.ctx, request.params.id),
  );
  app.patch(
    '/api/community/residents/:id',
    { schema: { tags, summary: 'Edit a resident (community.manage; optimistic version)', params: IdParam, body: EditResidentBody, response: { 200: ResidentSchema, ...errorResponses } } },
    async (request) => community.edit(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/community/residents/:id/move',
    { schema: { tags, summary: 'Move a resident to another community in your jurisdiction (community.manage)', params: IdParam, body: MoveBody, response: { 200: ResidentSchema, ...errorResponses } } },
    async (request) => community.move(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/community/residents/:id/leave',
    { schema: { tags, summary: 'Record a move out (迁出) or a death (community.manage)', params: IdParam, body: LeaveBody, response: { 200: ResidentSchema, ...errorResponses } } },
    async (request) => community.leave(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/api/community/grids',
    { schema: { tags, summary: 'Grids in your jurisdiction with their workers (community.read)', querystring: GridListQuery, response: { 200: GridList, ...errorResponses } } },
    async (request) => community.grids(request.ctx, request.query.community),
  );
  app.post(
    '/api/community/grids',
    { schema: { tags, summary: 'Create a grid in a community (community.manage)', body: NewGridBody, response: { 201: GridSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await community.createGrid(request.ctx, request.body)),
  );
  app.patch(
    '/api/community/grids/:id',
    { schema: { tags, summary: 'Rename a grid (community.manage)', params: IdParam, body: RenameGridBody, response: { 200: GridSchema, ...errorResponses } } },
    async (request) => community.renameGrid(request.ctx, request.params.id, request.body.name),
  );
  app.post(
    '/api/community/grids/:id/workers',
    { schema: { tags, summary: 'Assign a grid worker: a user whose role grant covers the community (community.manage)', params: IdParam, body: WorkerBody, response: { 200: GridSchema, ...errorResponses } } },
    async (request) => community.assignWorker(request.ctx, request.params.id, request.body.userId),
  );
  app.delete(
    '/api/community/grids/:id/workers/:userId',
    { schema: { tags, summary: 'Unassign a grid worker (community.manage)', params: Type.Object({ id: Uuid, userId: Uuid }), response: { 200: GridSchema, ...errorResponses } } },
    async (request) => community.unassignWorker(request.ctx, request.params.id, request.params.userId),
  );

  app.get(
    '/api/community/buildings',
    { schema: { tags, summary: 'Buildings in your jurisdiction (community.read)', querystring: GridListQuery, response: { 200: BuildingList, ...errorResponses } } },
    async (request) => community.buildings(request.ctx, request.query.community),
  );
  app.post(
    '/api/community/buildings',
    { schema: { tags, summary: 'Add a building to a community (community.manage)', body: NewBuildingBody, response: { 201: BuildingSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await community.createBuilding(request.ctx, request.body)),
  );

  app.get(
    '/api/community/households',
    { schema: { tags, summary: 'Households in your jurisdiction (community.read)', querystring: HouseholdListQuery, response: { 200: HouseholdPage, ...errorResponses } } },
    async (request) => community.households(request.ctx, request.query),
  );
  app.post(
    '/api/community/households',
    { schema: { tags, summary: 'Create a household (community.manage)', body: NewHouseholdBody, response: { 201: HouseholdSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await community.createHousehold(request.ctx, request.body)),
  );
  app.get(
    '/api/community/households/:id',
    { schema: { tags, summary: 'A household with its members (community.read)', params: IdParam, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (request) => community.household(request.ctx, request.params.id),
  );
  app.post(
    '/api/community/households/:id/members',
    { schema: { tags, summary: 'Add a member with their relation to the head (community.manage)', params: IdParam, body: MemberBody, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (request) => community.addMember(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/community/households/:id/members/:residentId',
    { schema: { tags, summary: 'Remove a member (community.manage)', params: Type.Object({ id: Uuid, residentId: Uuid }), response: { 200: HouseholdSchema, ...errorResponses } } },
    async (request) => community.removeMember(request.ctx, request.params.id, request.params.residentId),
  );

  app.get(
    '/api/community/labels',
    { schema: { tags, summary: '重点人群 labels (community.read)', response: { 200: LabelList, ...errorResponses } } },
    async (request) => community.labels(request.ctx),
  );
  app.get(
    '/api/community/ethnicities',
    { schema: { tags, summary: 'GB/T 3304 ethnic group codes (public reference data)', response: { 200: EthnicityList, ...errorResponses } } },
    async () => ({ items: ETHNICITIES.map((e) => ({ ...e })) }),
  );
}
