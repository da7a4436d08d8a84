// HTTP route of the resident 360 view.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { ResidentViewSchema } from './schema.ts';
import type { ResidentService } from './service.ts';

export function residentRoutes(app: App, residents: ResidentService): void {
  app.get(
    '/api/residents/:idNumber',
    {
      schema: {
        tags: ['residents'],
        summary: '人员综合视图: a person’s facts from the person-keyed resources your department holds grants on (masked; each read logged)',
        params: Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 32, description: '18-character 公民身份号码 (GB 11643)' }) }),
        response: { 200: ResidentViewSchema, ...errorResponses },
      },
    },
    async (request) => residents.view(request.ctx, request.params.idNumber),
  );
}
