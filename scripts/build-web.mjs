// Builds the console with Vite when web/dist is missing or older than its sources (so `npm start` stays quick), and
// writes a Brotli (.br) and a gzip (.gz) copy beside each text asset, which the server sends to clients that accept them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist');
const output = path.join(dist, 'index.html');
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
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.wasm']);

/** Text assets of at least 1 KiB, without their compressed copies. */
function compressible(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return compressible(full);
    return COMPRESSIBLE.has(path.extname(entry.name)) && fs.statSync(full).size >= 1024 ? [full] : [];
  });
}

/** Writes file.br (quality 11) and file.gz (level 9) where missing or older than the file: built once, served many times. */
function precompress() {
  for (const file of compressible(dist)) {
    const source = fs.statSync(file).mtimeMs;
    const stale = (copy) => !fs.existsSync(copy) || fs.statSync(copy).mtimeMs < source;
    if (!stale(`${file}.br`) && !stale(`${file}.gz`)) continue;
    const content = fs.readFileSync(file);
    const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length };
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
  }
}

if (force || !fs.existsSync(output) || fs.statSync(output).mtimeMs < sources) {
  console.log('Building the web console (web/ -> web/dist) …');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
precompress();
