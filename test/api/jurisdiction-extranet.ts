// Jurisdiction probes of the extranet routes (issue 10 §6), mounted by jurisdiction.test.ts: the worker (a leader
// over their own community) sees the nodes, links and connections of that community, none of the other's.
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { App } from '../../src/http/types.ts';
import { login, type Client } from '../support/app.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

export interface ExtranetProbeContext {
  app: App;
  db: Kysely<Database>;
  /** Holds leader (so extranet.read) over `mine` only. */
  worker: Client;
  mine: { code: string };
  theirs: { code: string };
}

export function extranetProbes(ctx: () => ExtranetProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<Record<'mine' | 'theirs', { core: string; access: string; link: string; department: string }>> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { app, db, mine, theirs } = ctx();
      const operator = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
      const admin = await login(app, operator.username, operator.password);
      const build = async (regionCode: string) => {
        const node = async (kind: string) => (await admin.post('/api/extranet/nodes', { code: uniq('J'), name: `探针${kind}`, kind, regionCode })).json().id as string;
        const core = await node('core');
        const access = await node('access');
        const link = (await admin.post('/api/extranet/links', { aId: core, bId: access, kind: 'access', bandwidthMbps: 100 })).json().id as string;
        const department = (await newDepartment(db, { regionCode })).id;
        expect((await admin.post('/api/extranet/connections', { departmentId: department, nodeId: access, bandwidthMbps: 100, connectedOn: '2024-01-01' })).statusCode).toBe(200);
        return { core, access, link, department };
      };
      return { mine: await build(mine.code), theirs: await build(theirs.code) };
    })());
  return {
    'GET /api/extranet/topology': async () => {
      const { mine, theirs } = await setup();
      const body = (await ctx().worker.get('/api/extranet/topology')).json();
      const nodes = body.nodes.map((n: { id: string }) => n.id);
      expect(nodes).toEqual(expect.arrayContaining([mine.core, mine.access]));
      expect(nodes).not.toContain(theirs.core);
      expect(body.links.map((l: { id: string }) => l.id)).toContain(mine.link);
      expect(body.links.map((l: { id: string }) => l.id)).not.toContain(theirs.link);
      expect(body.connections.map((c: { departmentId: string }) => c.departmentId)).not.toContain(theirs.department);
    },
    'GET /api/extranet/coverage': async () => {
      await setup();
      const body = (await ctx().worker.get('/api/extranet/coverage')).json();
      expect(body.total.regionCode).toBe(ctx().mine.code);
      expect(body.counties.map((c: { regionCode: string }) => c.regionCode)).toEqual(['650502']);
    },
    'GET /api/extranet/bridges': async () => {
      const { mine, theirs } = await setup();
      const ids = (await ctx().worker.get('/api/extranet/bridges')).json().items.map((i: { link: { id: string } }) => i.link.id);
      expect(ids).toContain(mine.link);
      expect(ids).not.toContain(theirs.link);
    },
    'GET /api/extranet/links/{id}/failure': async () => {
      const { mine, theirs } = await setup();
      const res = await ctx().worker.get(`/api/extranet/links/${mine.link}/failure`);
      expect(res.statusCode).toBe(200);
      expect(res.json().departments.map((d: { id: string }) => d.id)).toEqual([mine.department]);
      expect((await ctx().worker.get(`/api/extranet/links/${theirs.link}/failure`)).statusCode).toBe(404);
    },
  };
}
