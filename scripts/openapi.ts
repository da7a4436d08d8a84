// Writes docs/openapi.json from the route schemas and the console's client types from it (CI fails when either drifts).
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openPglite } from '../src/db/database.ts';
import { buildApp } from '../src/http/app.ts';
import { CLIENT_TYPES_FILE, renderClientTypes } from './openapi-client.ts';

const handle = openPglite(undefined);
const { app } = await buildApp({ db: handle.db, config: loadConfig({}), serveWeb: false });
const doc = app.swagger();
const file = path.resolve(import.meta.dirname, '../docs/openapi.json');
fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
await app.close();
await handle.close();
console.log(`Wrote ${path.relative(process.cwd(), file)} (${Object.keys(doc.paths ?? {}).length} paths).`);
// From the file just written (a JSON round trip), exactly as the drift test reads it.
fs.writeFileSync(CLIENT_TYPES_FILE, await renderClientTypes(JSON.parse(fs.readFileSync(file, 'utf8'))));
console.log(`Wrote ${path.relative(process.cwd(), CLIENT_TYPES_FILE)}.`);
