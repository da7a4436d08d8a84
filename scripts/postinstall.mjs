// Run by `npm install` / `npm ci`: does ahead of time the one-off work the first `npm start` would otherwise wait for
// (the console's build, the server bundle, the PGlite initdb template; D133). Never fails the install: whatever is
// not made here is made by the first start, as before.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (process.env.GOVCLOUD_SKIP_POSTINSTALL === '1') process.exit(0);
for (const [what, args] of [
  ['console build', ['scripts/build-web.mjs']],
  ['server bundle and PGlite template', ['bin/govcloud.js', 'prepare']],
]) {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    process.stderr.write(`govcloud postinstall: ${what} not made now (${error instanceof Error ? error.message : String(error)}); the first start makes it.\n`);
  }
}
