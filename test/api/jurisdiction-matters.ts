// Jurisdiction probes of the supervised-matters routes (issue 9 §5), mounted by jurisdiction.test.ts: a matter of the
// other county, and its warnings, are neither listed nor readable by the worker of mine (leader and auditor there).
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { App } from '../../src/http/types.ts';
import { login, type Client } from '../support/app.ts';
import { newUser, uniq } from '../support/factories.ts';

export interface MatterProbeContext {
  app: App;
  db: Kysely<Database>;
  /** Holds leader and auditor (so matters.read) over `mine` only. */
  worker: Client;
  mine: { code: string };
  theirs: { code: string };
  myDept: { id: string };
  theirDept: { id: string };
}

/** Public reads: the penalty disclosure is open to everyone by design (decided penalties, masked persons). */
export const MATTERS_PUBLIC_READS = ['GET /api/public/penalties'];
/** The discretion table (裁量基准) is national law, the same for every region. */
export const MATTERS_REFERENCE_READS = ['GET /api/matters/articles'];

export function matterProbes(ctx: () => MatterProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: string; theirs: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { app, db, mine, theirs, myDept, theirDept } = ctx();
      const record = async (departmentId: string, regionCode: string) => {
        const staff = await newUser(db, { departmentId, grants: [{ role: 'department_staff', regionCode }] });
        const client = await login(app, staff.username, staff.password);
        // filed long ago and undecided: a late-decision warning fires at once
        const res = await client.post('/api/matters/penalty', {
          title: '探针',
          refNo: uniq('探针'),
          data: { partyKind: 'organization', partyName: '探针公司', articleCode: 'FSL-124', amountYuan: 60000, filedOn: '2026-01-05' },
        });
        expect(res.statusCode).toBe(200);
        return res.json().id as string;
      };
      return { mine: await record(myDept.id, mine.code), theirs: await record(theirDept.id, theirs.code) };
    })());
  return {
    'GET /api/matters': async () => {
      const { mine, theirs } = await setup();
      const ids = (await ctx().worker.get('/api/matters?limit=500')).json().items.map((m: { id: string }) => m.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
    },
    'GET /api/matters/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await ctx().worker.get(`/api/matters/${mine}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/matters/${theirs}`)).statusCode).toBe(404);
    },
    'GET /api/matters/warnings': async () => {
      const { mine, theirs } = await setup();
      const subjects = (await ctx().worker.get('/api/matters/warnings?limit=500')).json().items.map((w: { subjectId: string }) => w.subjectId);
      expect(subjects).toContain(mine);
      expect(subjects).not.toContain(theirs);
    },
  };
}
