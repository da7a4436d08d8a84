import Fastify from 'fastify';
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { Type } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
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
