// Jurisdiction probes of the evaluation routes (issue 9 §6), mounted by jurisdiction.test.ts: ratings, complaints and
// scores of the other community's department are neither listed nor readable by the worker of mine.
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { Client } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';

export interface EvaluationProbeContext {
  db: Kysely<Database>;
  /** Holds evaluation.read (auditor, leader) over `mine` only. */
  worker: Client;
  myDept: { id: string };
  theirDept: { id: string };
}

/** Reads that are not region-bound: the citizen's own records, the complaint form's department list, public data. */
export const EVALUATION_NOT_REGION_BOUND = [
  'GET /api/citizen/cases/{caseId}/rating',
  'GET /api/citizen/complaints',
  'GET /api/citizen/complaint-departments',
  'GET /api/evaluation/complaint-departments',
  'GET /api/evaluation/months',
  'GET /api/public/ranking',
];

export function evaluationProbes(ctx: () => EvaluationProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<Record<'mine' | 'theirs', { rating: string; complaint: string }>> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, myDept, theirDept } = ctx();
      const one = async (departmentId: string) => {
        const item = await newItem(db, { departmentId });
        const c = await newCase(db, item, { state: 'concluded', concludedOn: '2025-01-10' });
        const rating = await db
          .insertInto('evaluation_rating')
          .values({ case_id: c.id, department_id: departmentId, region_code: item.region_code, region_path: item.region_path, level: 5, channel: 'counter', rated_on: '2025-01-11' })
          .returning('id')
          .executeTakeFirstOrThrow();
        const complaint = await db
          .insertInto('evaluation_complaint')
          .values({ department_id: departmentId, region_code: item.region_code, region_path: item.region_path, complainant_name: '探针', channel: 'staff', subject: '探针', body: '探针', filed_on: '2025-01-11', decide_due: '2025-01-18' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('evaluation_score')
          .values({ month: '2025-01-01', department_id: departmentId, region_code: item.region_code, region_path: item.region_path, score: 90, grade: 'excellent', rank: 1 })
          .execute();
        return { rating: rating.id, complaint: complaint.id };
      };
      return { mine: await one(myDept.id), theirs: await one(theirDept.id) };
    })());
  const ids = async (url: string, key = 'id') => ((await ctx().worker.get(url)).json().items as Record<string, string>[]).map((r) => r[key]);
  return {
    'GET /api/evaluation/ratings': async () => {
      const { mine, theirs } = await setup();
      const listed = await ids('/api/evaluation/ratings?limit=500');
      expect(listed).toContain(mine.rating);
      expect(listed).not.toContain(theirs.rating);
    },
    'GET /api/evaluation/ratings/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await ctx().worker.get(`/api/evaluation/ratings/${mine.rating}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/evaluation/ratings/${theirs.rating}`)).statusCode).toBe(404);
    },
    'GET /api/evaluation/complaints': async () => {
      const { mine, theirs } = await setup();
      const listed = await ids('/api/evaluation/complaints?limit=500');
      expect(listed).toContain(mine.complaint);
      expect(listed).not.toContain(theirs.complaint);
    },
    'GET /api/evaluation/complaints/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await ctx().worker.get(`/api/evaluation/complaints/${mine.complaint}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/evaluation/complaints/${theirs.complaint}`)).statusCode).toBe(404);
    },
    'GET /api/evaluation/scores': async () => {
      await setup();
      const listed = await ids('/api/evaluation/scores?month=2025-01', 'departmentId');
      expect(listed).toContain(ctx().myDept.id);
      expect(listed).not.toContain(ctx().theirDept.id);
    },
    'GET /api/evaluation/scores/trend/{id}': async () => {
      await setup();
      expect((await ctx().worker.get(`/api/evaluation/scores/trend/${ctx().myDept.id}`)).json().items).toHaveLength(1);
      expect((await ctx().worker.get(`/api/evaluation/scores/trend/${ctx().theirDept.id}`)).json().items).toHaveLength(0);
    },
  };
}
