// Builds the console with Vite when web/dist is missing or older than its sources (so `npm start` stays quick).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const output = path.join(root, 'web/dist/index.html');
const force = process.argv.includes('--force');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') latest = Math.max(latest, newest(full));
    } else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

const sources = Math.max(newest(path.join(root, 'web')), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs, fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
if (!force && fs.existsSync(output) && fs.statSync(output).mtimeMs >= sources) {
  process.exit(0);
}
console.log('Building the web console (web/ -> web/dist) …');
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
