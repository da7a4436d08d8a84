// Local ESLint rule: a file in src/modules/A may import from src/modules/B (B ≠ A) only through B's index.ts, the
// module's one public face. src/platform, src/shared and the rest of src stay open to every module.
import path from 'node:path';

const MODULES = `${path.sep}src${path.sep}modules${path.sep}`;

/** The module folder a file lies in and its path inside that folder, or null outside src/modules/<m>/. */
function placeOf(file) {
  const at = file.lastIndexOf(MODULES);
  if (at < 0) return null;
  const [module, ...rest] = file.slice(at + MODULES.length).split(path.sep);
  if (rest.length === 0) return null; // src/modules/registry.ts and the like belong to no module
  return { root: file.slice(0, at + MODULES.length), module, inner: rest.join('/') };
}

const INDEX = /^index(\.[cm]?[jt]sx?)?$/;

export default {
  meta: {
    type: 'problem',
    docs: { description: "Import another module only through its index.ts" },
    schema: [],
    messages: {
      deep: "Module '{{from}}' imports '{{spec}}' from inside module '{{to}}': import from '{{to}}/index.ts' (its public face) instead, exporting what is needed there.",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const here = placeOf(path.resolve(file));
    if (!here) return {};
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = placeOf(path.resolve(path.dirname(file), source.value));
      if (!target || target.root !== here.root || target.module === here.module) return;
      if (target.module && INDEX.test(target.inner)) return;
      context.report({ node: source, messageId: 'deep', data: { from: here.module, to: target.module, spec: source.value } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
    };
  },
};
