// Jurisdiction probes of the resident profile routes (issue 8, module profiles), mounted by jurisdiction.test.ts.
import { expect } from 'vitest';
import { newResident } from '../support/community-factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function profileProbes(ctx: () => ProbeContext): Record<string, () => Promise<void>> {
  return {
    'GET /api/profiles/{residentId}': async () => {
      const { db, worker, mine, theirs } = ctx();
      const [a, b] = [await newResident(db, { communityCode: mine.code }), await newResident(db, { communityCode: theirs.code })];
      expect((await worker.get(`/api/profiles/${a.id}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/profiles/${b.id}`)).statusCode).toBe(404);
    },
    'GET /api/profiles/labels': async () => {
      const { db, worker, mine, theirs } = ctx();
      const count = async () => (await worker.get('/api/profiles/labels')).json().items.find((l: { code: string }) => l.code === 'mental_illness').count as number;
      const before = await count();
      const [a, b] = [await newResident(db, { communityCode: mine.code }), await newResident(db, { communityCode: theirs.code })];
      await db.insertInto('community_resident_label').values([a, b].map((r) => ({ resident_id: r.id, label_code: 'mental_illness', added_by: null }))).execute();
      expect(await count()).toBe(before + 1);
    },
  };
}
