#!/usr/bin/env node
// The `govcloud` command: runs the esbuild bundle of src/ (rebuilt first when the sources changed).
import { pathToFileURL } from 'node:url';
import { ensureServerBuild } from '../scripts/build-server.mjs';

const bundle = await ensureServerBuild();
await import(pathToFileURL(bundle).href);
