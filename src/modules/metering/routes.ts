// HTTP routes of metering (issue 10 §5): thin handlers over MeteringService.
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { MeteringService } from './service.ts';

const tags = ['metering'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function meteringRoutes(app: App, metering: MeteringService): void {
  app.get(
    '/api/metering/usage',
    { schema: { tags, summary: 'Usage per department in a month: allocated and used vCPU-hours, memory and storage GB-hours, utilisation (metering.read)', querystring: s.UsageQuery, response: { 200: s.UsageSchema, ...errorResponses } } },
    async (request) => metering.usage(request.ctx, request.query),
  );
  app.get(
    '/api/metering/chargeback',
    { schema: { tags, summary: 'The monthly chargeback per department and business system by the month’s tariff (metering.read)', querystring: s.MonthQuery, response: { 200: s.ChargebackSchema, ...errorResponses } } },
    async (request) => metering.chargeback(request.ctx, request.query),
  );
  app.get(
    '/api/metering/chargeback.xlsx',
    {
      schema: {
        tags,
        summary: 'The monthly chargeback as an XLSX workbook (明细 and 资费 sheets); audited',
        querystring: s.MonthQuery,
        produces: [XLSX, 'application/problem+json'],
        response: { 200: Type.String({ description: 'The workbook' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { filename, body } = await metering.chargebackXlsx(request.ctx, request.query);
      return reply.type(XLSX).header('content-disposition', contentDisposition(filename)).send(body);
    },
  );
  app.get('/api/metering/tariffs', { schema: { tags, summary: 'The tariff in force this month and the history of tariffs (metering.read)', response: { 200: s.TariffsSchema, ...errorResponses } } }, async (request) =>
    metering.tariffs(request.ctx),
  );
  app.put(
    '/api/metering/tariffs',
    { schema: { tags, summary: 'Set the tariff from a month on: this month or later, never a past one (metering.tariffs.manage); audited', body: s.TariffBody, response: { 200: s.TariffSchema, ...errorResponses } } },
    async (request) => metering.setTariff(request.ctx, request.body),
  );
}
