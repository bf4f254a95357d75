// A small ESLint rule that enforces the dependency direction core ← sync ← renderer ← electron,
// with hq allowed only core and sync's wire protocol, and bench/ and scripts/ kept off test/ (testkit/
// is what they share with the tests). It resolves each relative import to the
// top-level folder it lands in, so `../../sync/x` is caught no matter how deep the importer is.
// Package imports are checked against a per-layer allowlist/denylist (core may use only a few pure
// libraries; nothing the browser runs may import Node built-ins).
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** @typedef {{ may: string[], packages?: string[], noNodeBuiltins?: boolean, noPackages?: string[] }} Layer */

/** @type {Record<string, Layer>} */
export const LAYERS = {
  core: { may: ['core'], packages: ['zod', 'temporal-polyfill', 'i18next'], noNodeBuiltins: true },
  sync: { may: ['core', 'sync'], noNodeBuiltins: true },
  // renderer reaches sync through the till's façade and the wire protocol only (sync/till.ts says what it has).
  renderer: { may: ['core', 'sync/till', 'sync/protocol', 'renderer'], noNodeBuiltins: true, noPackages: ['electron'] },
  electron: { may: ['core', 'sync', 'renderer', 'electron'] },
  // The back-office console (a browser app served by HQ): core's rules and words, and the wire protocol.
  backoffice: { may: ['core', 'sync/protocol', 'backoffice'], noNodeBuiltins: true, noPackages: ['electron'] },
  // hq may import sync's wire protocol and nothing else of sync.
  hq: { may: ['core', 'hq', 'sync/protocol'] },
  // Helpers shared by tests, benchmarks and scripts (a live HQ, tills, the simulation, fixtures). Benchmarks
  // and scripts use them, never test/ itself: what a test file holds may change with the test.
  testkit: { may: ['core', 'sync', 'hq', 'testkit'] },
  bench: { may: ['core', 'sync', 'hq', 'renderer', 'electron', 'testkit', 'bench'] },
  scripts: { may: ['core', 'sync', 'hq', 'renderer', 'electron', 'testkit', 'scripts'] },
};

function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Which layer (top-level folder) a repository-relative path belongs to, or null. */
function layerOf(rel) {
  const top = rel.split('/')[0];
  return top in LAYERS ? top : null;
}

function allowedTarget(layer, targetRel) {
  return LAYERS[layer].may.some((allowed) => targetRel === allowed || targetRel.startsWith(`${allowed}/`) || targetRel.startsWith(`${allowed}.`));
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer dependency direction between core, sync, renderer, electron and hq.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      crossLayer: "'{{layer}}/' may not import '{{target}}' (allowed: {{allowed}}).",
      nodeBuiltin: "'{{layer}}/' runs in the browser or both runtimes and may not import the Node built-in '{{spec}}'.",
      package: "'{{layer}}/' may not import the package '{{spec}}' (allowed packages: {{allowed}}).",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const fileRel = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = layerOf(fileRel);
    if (!layer) return {};
    const rules = LAYERS[layer];

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const abs = path.resolve(path.dirname(context.filename), spec);
        const targetRel = path.relative(root, abs).split(path.sep).join('/');
        if (targetRel.startsWith('..')) return; // outside the repository: not a layer question
        if (!layerOf(targetRel)) {
          // test/, bench/, tools/ … are never importable from a layer
          context.report({ node, messageId: 'crossLayer', data: { layer, target: targetRel, allowed: rules.may.join(', ') } });
          return;
        }
        if (!allowedTarget(layer, targetRel)) {
          context.report({ node, messageId: 'crossLayer', data: { layer, target: targetRel, allowed: rules.may.join(', ') } });
        }
        return;
      }
      if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(packageName(spec))) {
        if (rules.noNodeBuiltins) context.report({ node, messageId: 'nodeBuiltin', data: { layer, spec } });
        return;
      }
      const pkg = packageName(spec);
      if (rules.packages && !rules.packages.includes(pkg)) {
        context.report({ node, messageId: 'package', data: { layer, spec, allowed: rules.packages.join(', ') } });
      } else if (rules.noPackages?.includes(pkg)) {
        context.report({ node, messageId: 'package', data: { layer, spec, allowed: `anything but ${rules.noPackages.join(', ')}` } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: layersRule } };
