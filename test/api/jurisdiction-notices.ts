// Jurisdiction probes of the notices routes (issue 8), mounted by jurisdiction.test.ts: a notice or template of the
// other community is neither listed nor readable by the worker of mine.
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { App } from '../../src/http/types.ts';
import { login, type Client } from '../support/app.ts';
import { newUser } from '../support/factories.ts';
import { newResident } from '../support/community-factories.ts';

export interface NoticeProbeContext {
  app: App;
  db: Kysely<Database>;
  /** Holds community_worker (so notices.read and notices.send) over `mine` only. */
  worker: Client;
  mine: { code: string };
  theirs: { code: string };
}

export function noticeProbes(ctx: () => NoticeProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mineNotice: string; theirsNotice: string; mineTemplate: string; theirsTemplate: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { app, db, worker, mine, theirs } = ctx();
      const them = await newUser(db, { regionCode: theirs.code, grants: [{ role: 'community_worker', regionCode: theirs.code }] });
      const other = await login(app, them.username, them.password);
      const draft = async (client: Client, regionCode: string) => {
        await newResident(db, { communityCode: regionCode });
        const res = await client.post('/api/notices', { title: '探针', filter: { regionCode }, text: '{姓名}您好', channels: ['sms'] });
        expect(res.statusCode).toBe(200);
        return res.json().id as string;
      };
      const template = async (client: Client) => (await client.post('/api/notices/templates', { name: '探针', body: '{社区}通知' })).json().id as string;
      return { mineNotice: await draft(worker, mine.code), theirsNotice: await draft(other, theirs.code), mineTemplate: await template(worker), theirsTemplate: await template(other) };
    })());
  return {
    'GET /api/notices': async () => {
      const { mineNotice, theirsNotice } = await setup();
      const ids = (await ctx().worker.get('/api/notices?limit=500')).json().items.map((n: { id: string }) => n.id);
      expect(ids).toContain(mineNotice);
      expect(ids).not.toContain(theirsNotice);
    },
    'GET /api/notices/{id}': async () => {
      const { mineNotice, theirsNotice } = await setup();
      expect((await ctx().worker.get(`/api/notices/${mineNotice}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/notices/${theirsNotice}`)).statusCode).toBe(404);
    },
    'GET /api/notices/templates': async () => {
      const { mineTemplate, theirsTemplate } = await setup();
      const ids = (await ctx().worker.get('/api/notices/templates')).json().items.map((t: { id: string }) => t.id);
      expect(ids).toContain(mineTemplate);
      expect(ids).not.toContain(theirsTemplate);
    },
  };
}
