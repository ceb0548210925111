// The import rules of docs/architecture.md, checked by dependency-cruiser in `npm test`
// (test/architecture/imports.test.ts runs `depcruise` on the sources with this file).
//
// The layers of server/src, bottom first. A module may import its own layer and the
// layers below it, never one above (data flows text -> tree -> model -> findings).
// Layers on one row are siblings that do not import each other.
const LAYERS = [
  ['syntax'],
  ['units'],
  ['diagnostics'],
  ['semantics'],
  ['eval'],
  ['print'],
  ['checks', 'verify'],
  ['pipeline'],
  ['project'],
  ['cli', 'lsp'],
];

const SRC = '^server/src/';
const folder = (name) => `${SRC}${name}/`;
const anyOf = (names) => `(${names.map(folder).join('|')})`;

const layerRules = LAYERS.flatMap((row, level) => {
  const above = LAYERS.slice(level + 1).flat();
  const rules = [];
  if (above.length > 0) {
    rules.push({
      name: `no-reaching-up-from-${row.join('-')}`,
      comment: `${row.join(', ')} may import only the layers below it (${LAYERS.slice(0, level).flat().join(', ') || 'none'})`,
      severity: 'error',
      from: { path: anyOf(row) },
      to: { path: anyOf(above) },
    });
  }
  for (const name of row) {
    const siblings = row.filter((other) => other !== name);
    if (siblings.length === 0) continue;
    rules.push({
      name: `no-sibling-import-from-${name}`,
      comment: `${name} and ${siblings.join(', ')} are independent consumers of the layers below`,
      severity: 'error',
      from: { path: folder(name) },
      to: { path: anyOf(siblings) },
    });
  }
  return rules;
});

// lsp/ is layered the same way inside: the features (plain functions over a document)
// at the bottom, then the session (documents, scheduling, verification jobs), then the
// protocol translation, then the server's top files (server.ts, main.ts, snapshot-main.ts)
// that wire them together.
const LSP = `${SRC}lsp/`;
const LSP_LAYERS = ['features', 'session', 'protocol'];
const lspTop = `${LSP}[^/]+$`;
const lspLayerRules = LSP_LAYERS.map((name, level) => {
  const above = LSP_LAYERS.slice(level + 1).map((other) => `${LSP}${other}/`);
  return {
    name: `no-reaching-up-from-lsp-${name}`,
    comment: `lsp/${name} may import only ${LSP_LAYERS.slice(0, level).map((other) => `lsp/${other}`).join(', ') || 'nothing else in lsp/'}, never the parts above it or the server's top files`,
    severity: 'error',
    from: { path: `${LSP}${name}/` },
    to: { path: `(${[...above, lspTop].join('|')})` },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    ...lspLayerRules,
    {
      name: 'lsp-reads-the-disk-through-the-workspace',
      comment: 'in lsp/ only session/workspace.ts imports node:fs (and reads files through project/)',
      severity: 'error',
      from: { path: LSP, pathNot: `${LSP}session/workspace\\.ts$` },
      to: { path: '^(node:)?fs(/promises)?$', dependencyTypes: ['core'] },
    },
    {
      name: 'checks-context-is-the-checks-own',
      comment: 'checks/context.ts holds what only the checks share: what others need lives below (semantics/, eval/, print/)',
      severity: 'error',
      from: { pathNot: `${SRC}checks/` },
      to: { path: `${SRC}checks/context\\.ts$` },
    },
    {
      name: 'lsp-features-and-session-speak-no-lsp',
      comment: 'in lsp/ only protocol/ and the top files import vscode-languageserver*: features return plain data, the session plain findings',
      severity: 'error',
      from: { path: `${LSP}(features|session)/` },
      to: { path: '(^|/)node_modules/vscode-languageserver' },
    },
    {
      name: 'every-lsp-module-in-a-part',
      comment: 'a module of lsp/ is a top file or in one of LSP_LAYERS\' folders',
      severity: 'error',
      from: { path: LSP, pathNot: `(${[...LSP_LAYERS.map((name) => `${LSP}${name}/`), lspTop].join('|')})` },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycles anywhere, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-lsp-imports-the-lsp-library',
      comment: 'only server/src/lsp imports vscode-languageserver*: the language core runs without an editor',
      severity: 'error',
      from: { path: '^(server/src|client|bench)/', pathNot: `${SRC}lsp/` },
      to: { path: '(^|/)node_modules/vscode-languageserver' },
    },
    {
      name: 'only-units-imports-ucum',
      comment: 'only server/src/units/ucum.ts imports @lhncbc/ucum-lhc; units/ offers it as a few pure functions',
      severity: 'error',
      from: { pathNot: `${SRC}units/ucum\\.ts$` },
      to: { path: '(^|/)node_modules/@lhncbc/ucum-lhc/' },
    },
    {
      name: 'only-the-edges-touch-the-file-system',
      comment: 'in server/src only project/ (which reads files), cli/ and lsp/ import node:fs',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}(project|cli|lsp)/` },
      to: { path: '^(node:)?fs(/promises)?$', dependencyTypes: ['core'] },
    },
    {
      name: 'client-reaches-the-server-only-through-its-binary',
      comment: 'client/ imports nothing from server/src: it starts the server and speaks LSP to it',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|test|bench)/' },
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a module of server/src outside the folders of LAYERS would escape the layer rules: add its folder there',
      severity: 'error',
      from: { path: SRC, pathNot: anyOf(LAYERS.flat()) },
      to: {},
    },
    {
      name: 'shared-is-plain-data',
      comment: 'shared/ (what the client and the server agree on) imports nothing',
      severity: 'error',
      from: { path: '^shared/' },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve would hide a dependency from the other rules',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // ES modules only: a local function named `require` (label-course.ts) is not an import.
    moduleSystems: ['es6'],
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
