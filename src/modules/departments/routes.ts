// HTTP routes for the department directory.
import { Type } from 'typebox';
import { CountedPage, PageQuery, SearchTerm, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { DepartmentKindSchema, DepartmentPatchBody, DepartmentSchema, NewDepartmentBody } from './schema.ts';

export function departmentRoutes(app: App, services: Services): void {
  app.get(
    '/api/departments',
    {
      schema: {
        tags: ['departments'],
        summary: 'Departments in your jurisdiction in the customary order (党委, 人大, 政府, 政协, 法院, 检察院, 群团, 事业单位 …), with the total',
        querystring: Type.Object(
          {
            q: Type.Optional(SearchTerm),
            regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$', description: 'Only departments in this region or below it' })),
            kind: Type.Optional(DepartmentKindSchema),
            parentId: Type.Optional(Uuid),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: CountedPage(DepartmentSchema), ...errorResponses },
      },
    },
    async (request) => services.departments.list(request.ctx, request.query),
  );

  app.get(
    '/api/departments/:id',
    { schema: { tags: ['departments'], summary: 'One department', params: Type.Object({ id: Uuid }), response: { 200: DepartmentSchema, ...errorResponses } } },
    async (request) => services.departments.get(request.ctx, request.params.id),
  );

  app.post(
    '/api/departments',
    { schema: { tags: ['departments'], summary: 'Create a department (departments.manage)', body: NewDepartmentBody, response: { 201: DepartmentSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await services.departments.create(request.ctx, request.body)),
  );

  app.patch(
    '/api/departments/:id',
    {
      schema: {
        tags: ['departments'],
        summary: 'Rename a department or change its short name, kind, parent or credit code (departments.manage)',
        params: Type.Object({ id: Uuid }),
        body: DepartmentPatchBody,
        response: { 200: DepartmentSchema, ...errorResponses },
      },
    },
    async (request) => services.departments.update(request.ctx, request.params.id, request.body),
  );
}
