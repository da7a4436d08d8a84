// Liveness and readiness probes.
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../db/schema.ts';
import type { App } from './types.ts';

const Health = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) });

export function healthRoutes(app: App, deps: { db: Kysely<Database>; isReady: () => boolean }): void {
  app.get('/livez', { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Ready to serve: database reachable and migrated', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      try {
        await sql`select 1`.execute(deps.db);
        checks.database = 'ok';
      } catch (error) {
        checks.database = `unreachable: ${(error as Error).message}`;
      }
      checks.startup = deps.isReady() ? 'ok' : 'pending';
      const ok = Object.values(checks).every((v) => v === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );
}
