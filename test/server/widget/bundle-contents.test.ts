// The widget ships no server code. The browser contract (contract/browser-contract.ts) is the one file the
// widget and the adapter share, so it must hold types and constants only and import nothing: then nothing
// of the server can reach a bundle through it. And each built file of the widget, by its source map, is
// made of the widget, the contract and Lit, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../../..');
const CONTRACT = 'contract/browser-contract.ts';

test('the browser contract imports nothing and declares only types and constants', () => {
  const text = readFileSync(join(root, CONTRACT), 'utf8');
  const source = ts.createSourceFile(CONTRACT, text, ts.ScriptTarget.Latest, true);
  const wrong: string[] = [];
  for (const statement of source.statements) {
    const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    const constants =
      ts.isVariableStatement(statement) &&
      (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 &&
      statement.declarationList.declarations.every((declaration) => declaration.initializer && ts.isStringLiteral(declaration.initializer));
    if (!constants) wrong.push(`line ${line}: ${ts.SyntaxKind[statement.kind]}`);
  }
  assert.deepEqual(wrong, [], 'only interfaces, type aliases and string constants');
});

/** The built files of the widget (`npm run build`): the single-file bundles and the library's modules. */
function widgetBuilds(): string[] {
  const bundles = ['izly-pay-button.js', 'izly-connect-button.js', 'izly-pay.js'].map((file) => join('dist', file));
  const library = readdirSync(join(root, 'dist/widget'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js'))
    .map((file) => join('dist/widget', file));
  return [...bundles, ...library];
}

test('every built file of the widget is made of the widget, the browser contract and Lit only', () => {
  for (const file of ['dist/izly-pay-button.js.map', 'dist/widget/index.js.map']) {
    assert.ok(existsSync(join(root, file)), `${file} is missing: run \`npm run build\` first (npm test does)`);
  }
  const wrong: string[] = [];
  let sources = 0;
  for (const file of widgetBuilds()) {
    const map = JSON.parse(readFileSync(join(root, `${file}.map`), 'utf8')) as { sources: string[] };
    for (const source of map.sources) {
      sources += 1;
      const path = relative(root, resolve(root, dirname(file), source))
        .split('\\')
        .join('/');
      const allowed = /^(widget|contract)\//.test(path) || /^node_modules\/(lit|lit-html|lit-element|@lit\/[^/]+)\//.test(path);
      if (!allowed) wrong.push(`${file} ← ${path}`);
    }
  }
  // The check would pass on empty maps: make sure it read the sources at all, the contract's included.
  assert.ok(sources > 20, `read ${sources} sources`);
  assert.ok(readFileSync(join(root, 'dist/izly-pay-button.js.map'), 'utf8').includes(CONTRACT));
  assert.deepEqual(wrong, []);
});
