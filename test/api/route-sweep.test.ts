// Every route of the OpenAPI document, signed in with every role at the prefecture, fed malformed path parameters
// (not ids, too long, NUL, broken escapes, traversal, ids of nothing), query values one at a time (wrong types, ±∞,
// out of range, empty, too long, impossible dates) and bodies (not objects, prototype pollution, each property of the
// wrong type or too long): each answer is a 4xx (or a 2xx), never a 5xx, and every refusal is problem+json. The
// first run found one: "Infinity" in a path parameter passed the schema as a number and reached the database.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/shared/access.ts';
import { Client, signedInWith, testApp } from '../support/app.ts';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; format?: string; anyOf?: Schema[] };
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

let client: Client;
let anonymous: Client;
let doc: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  const { app } = await testApp();
  client = await signedInWith(ROLES.map((role) => ({ role, regionCode: '6505' })));
  doc = app.swagger() as unknown as typeof doc;
  anonymous = new Client(app);
}, 120_000);

const BAD_IDS = ['not-a-uuid', 'x'.repeat(300), '%00', '%E0%A4%A', randomUUID(), '1e400', '..%2F..%2Fetc%2Fpasswd'];
const BAD_VALUES = ['abc', '-1', 'Infinity', '-1e400', '99999999999999999999', '', 'x'.repeat(2000), '2026-13-45', '[]'];

function wrongFor(schema: Schema | undefined): unknown[] {
  const out: unknown[] = [null, {}, [], 'x'.repeat(5000), -1, 1e308, true, '\u0000', '2026-02-30', 'not-a-uuid'];
  if (schema?.type === 'array' || schema?.items) out.push([{}], [null], Array.from({ length: 2000 }, () => 'x'));
  return out;
}

/** Sign-out would end the sweep's session; the big screen's event stream never ends (tested in publicity.test.ts). */
const SKIP = new Set(['/api/auth/logout', '/api/public/bigscreen/stream']);
const failures: string[] = [];

async function probe(method: string, url: string, body?: unknown, as = client) {
  const res = await as.request(method.toUpperCase() as 'GET', url, body, body === undefined ? {} : { 'content-type': 'application/json' });
  if (res.statusCode >= 500) failures.push(`${res.statusCode} ${method.toUpperCase()} ${url} ${body === undefined ? '' : JSON.stringify(body).slice(0, 120)} → ${res.body.slice(0, 200)}`);
  else if (res.statusCode >= 400 && !String(res.headers['content-type'] ?? '').includes('problem+json')) failures.push(`${res.statusCode} not problem+json: ${method.toUpperCase()} ${url}`);
}

describe('every route under malformed input', () => {
  it('answers 4xx, never 5xx', async () => {
    const paths = Object.entries(doc.paths);
    expect(paths.length).toBeGreaterThan(100);
    for (const [template, operations] of paths) {
      if (SKIP.has(template)) continue;
      for (const [method, op] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const fill = (value: string) => template.replace(/\{(\w+)\}/g, () => value);
        const valid = fill(randomUUID());
        // path parameters
        if (pathParams.length > 0) for (const bad of BAD_IDS) await probe(method, fill(bad), method === 'get' || method === 'delete' ? undefined : {});
        // query values, one at a time
        for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
          for (const bad of BAD_VALUES) await probe(method, `${valid}?${q.name}=${encodeURIComponent(bad)}`, method === 'get' || method === 'delete' ? undefined : {});
        }
        // bodies
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (schema) {
          for (const whole of [null, [], 'x', 0, {}, { __proto__: { polluted: 1 } }, { constructor: { prototype: { polluted: 1 } } }]) await probe(method, valid, whole);
          for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
            for (const bad of wrongFor(propSchema)) await probe(method, valid, { [prop]: bad });
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);

  it('answers a caller without a session 4xx (or a public answer), never 5xx', async () => {
    failures.length = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      if (SKIP.has(template)) continue;
      for (const [method, op] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const url = template.replace(/\{(\w+)\}/g, () => randomUUID());
        await probe(method, url, op.requestBody ? {} : undefined, anonymous);
        await probe(method, template.replace(/\{(\w+)\}/g, 'x'.repeat(300)), undefined, anonymous);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
