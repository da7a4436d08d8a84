import Fastify from 'fastify';
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { Type } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support/app.ts';
import { testDb } from '../../test/support/db.ts';
import { buildApp } from './app.ts';
import { lazySerializers, lazyValidators } from './lazy-schemas.ts';

const pool = AjvCompiler();

/** A Fastify app with one route, its schemas compiled lazily, counting the validator compiles. */
async function app() {
  let compiles = 0;
  const counting: ValidatorFactory = (external) => {
    const compile = pool(external, { customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false } });
    return (route) => {
      compiles++;
      return compile(route);
    };
  };
  const server = Fastify({ schemaController: { compilersFactory: { buildValidator: lazyValidators(counting), buildSerializer: lazySerializers() } } });
  server.post(
    '/items/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer() }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, default: 20 }) }),
        body: Type.Object({ name: Type.String({ minLength: 1 }) }),
        response: { 200: Type.Object({ id: Type.Integer(), limit: Type.Integer(), name: Type.String() }) },
      },
    },
    async (request) => ({ ...(request.params as object), ...(request.query as object), ...(request.body as object), secret: 'never sent' }),
  );
  await server.ready();
  return { server, compiles: () => compiles };
}

describe('lazily compiled route schemas', () => {
  it('compile nothing at boot, then each part once on the first request', async () => {
    const { server, compiles } = await app();
    expect(compiles()).toBe(0);
    await server.inject({ method: 'POST', url: '/items/7', payload: { name: 'a' } });
    expect(compiles()).toBe(3);
    await server.inject({ method: 'POST', url: '/items/8', payload: { name: 'b' } });
    expect(compiles()).toBe(3);
    await server.close();
  });

  it('coerce text parameters, apply defaults and serialize only the response schema’s fields', async () => {
    const { server } = await app();
    const first = await server.inject({ method: 'POST', url: '/items/7', payload: { name: 'a' } });
    expect(first.json()).toEqual({ id: 7, limit: 20, name: 'a' });
    const second = await server.inject({ method: 'POST', url: '/items/7?limit=5', payload: { name: 'a' } });
    expect(second.json()).toEqual({ id: 7, limit: 5, name: 'a' });
    await server.close();
  });

  it('refuse bad input with the field named, on the first request and later ones', async () => {
    const { server } = await app();
    for (let i = 0; i < 2; i++) {
      const res = await server.inject({ method: 'POST', url: '/items/7?limit=0', payload: { name: 'a' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('limit');
      const body = await server.inject({ method: 'POST', url: '/items/7', payload: { name: '' } });
      expect(body.statusCode).toBe(400);
      expect(body.json().message).toContain('name');
    }
    await server.close();
  });
});

describe('simultaneous first requests', () => {
  it('at one lazily compiled route: each answered by its own input, each part compiled once', async () => {
    const { server, compiles } = await app();
    const sent = [
      { url: '/items/1', payload: { name: 'a' } },
      { url: '/items/2?limit=0', payload: { name: 'b' } },
      { url: '/items/3?limit=4', payload: { name: 'c' } },
      { url: '/items/4', payload: { name: '' } },
    ];
    const [a, badLimit, c, badName] = await Promise.all(sent.map((r) => server.inject({ method: 'POST', ...r })));
    expect(a!.json()).toEqual({ id: 1, limit: 20, name: 'a' });
    expect(c!.json()).toEqual({ id: 3, limit: 4, name: 'c' });
    expect(badLimit!.statusCode).toBe(400);
    expect(badLimit!.json().message).toContain('limit');
    expect(badName!.statusCode).toBe(400);
    expect(badName!.json().message).toContain('name');
    expect(compiles()).toBe(3);
    await server.close();
  });

  it('at one route of the real app built as `serve` builds it (lazySchemas): problem+json and schema-shaped answers alike', { timeout: 120_000 }, async () => {
    const { db } = await testDb();
    const { app: server } = await buildApp({ db, config: testConfig(), serveWeb: false, lazySchemas: true });
    try {
      const [page, tooMany, small, badCursor] = await Promise.all([
        server.inject({ method: 'GET', url: '/api/public/approvals?limit=3' }),
        server.inject({ method: 'GET', url: '/api/public/approvals?limit=0' }),
        server.inject({ method: 'GET', url: '/api/public/approvals?limit=1' }),
        server.inject({ method: 'GET', url: '/api/public/approvals?cursor=!' }),
      ]);
      for (const [res, n] of [
        [page, 3],
        [small, 1],
      ] as const) {
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
        expect(body.items.length).toBeLessThanOrEqual(n);
      }
      for (const [res, field] of [
        [tooMany, 'limit'],
        [badCursor, 'cursor'],
      ] as const) {
        expect(res.statusCode, res.body).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().field).toBe(field);
      }
    } finally {
      await server.close();
    }
  });
});
