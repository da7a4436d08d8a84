// The console's generated API types must be what the checked-in OpenAPI document generates (run `npm run openapi`).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../scripts/openapi-client.ts';

const docFile = path.resolve(import.meta.dirname, '../../docs/openapi.json');

describe('generated client types', () => {
  it('match docs/openapi.json', async () => {
    const expected = await renderClientTypes(JSON.parse(fs.readFileSync(docFile, 'utf8')));
    const checkedIn = fs.readFileSync(CLIENT_TYPES_FILE, 'utf8');
    expect(checkedIn === expected, 'web/src/api/schema.d.ts is stale: run `npm run openapi` and commit it').toBe(true);
  });

  it('notice a change in the document', async () => {
    const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
    const before = await renderClientTypes(doc);
    doc.paths['/api/departments'].get.parameters.push({ name: 'extraFilter', in: 'query', schema: { type: 'string' } });
    expect(await renderClientTypes(doc)).not.toBe(before);
  });
});
