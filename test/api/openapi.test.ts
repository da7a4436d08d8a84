// The OpenAPI document is generated from the route schemas; the checked-in copy must match (run `npm run openapi`).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/app.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp());
});

describe('OpenAPI', () => {
  it('is served as OpenAPI 3.1 with request and response schemas on every route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const [route, methods] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys(op.responses ?? {}), `${method} ${route} has no response schema`).not.toHaveLength(0);
      }
    }
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('matches the checked-in docs/openapi.json', async () => {
    const live = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const file = path.resolve(import.meta.dirname, '../../docs/openapi.json');
    const checkedIn = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(live, 'docs/openapi.json is stale: run `npm run openapi` and commit it').toEqual(checkedIn);
  });
});
