// The folders of server-adapter/ say which way imports go, and this test keeps it so:
// - izly/ (the typed Izly client) knows nothing of the adapter: it imports only from izly/;
// - stores/ keep records, they do not run flows: nothing from payments/ or connect/;
// - the runtime-neutral core (all but the Node-only stores) imports no `node:` module, no driver, and
//   uses no runtime's globals (`process`, `Buffer`, `Deno`, `Bun`), so it runs on Workers as on Node;
// - serve/ (`izly-pay serve`, a Node service) is built like a partner's app: it imports the adapter only
//   through its public entry points, and nothing else in server-adapter/ imports it;
// - the widget imports nothing from the server side or the sandbox.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');

interface SourceFile {
  /** Path from the project root, with `/`. */
  path: string;
  text: string;
  /** Import and re-export specifiers, relative ones resolved to paths from the project root. */
  imports: string[];
}

function sourceFiles(folder: string): SourceFile[] {
  return readdirSync(join(root, folder), { recursive: true })
    .map(String)
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => {
      const path = join(folder, file).split('\\').join('/');
      const text = readFileSync(join(root, path), 'utf8');
      const imports = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) =>
        fileName.startsWith('.')
          ? relative(root, resolve(root, dirname(path), fileName))
              .split('\\')
              .join('/')
          : fileName,
      );
      return { path, text, imports };
    });
}

/** Text without comments, so that an example in a JSDoc block does not count as use. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const adapter = sourceFiles('server-adapter');
/** `izly-pay serve`: Node-only, outside the runtime-neutral core, a user of the adapter's public entry points. */
const isServe = (path: string) => path.startsWith('server-adapter/serve/');
const PUBLIC_ENTRY_POINTS = new Set(['server-adapter/index.js', 'server-adapter/sqlite.js', 'server-adapter/postgres.js']);
/** The stores that need Node's drivers, and their package entry points. */
const NODE_ONLY = new Set([
  'server-adapter/stores/postgres-store.ts',
  'server-adapter/sqlite.ts',
  'server-adapter/postgres.ts',
  // The SQLite file drivers (Node, Deno, Bun) and their entries; the store over them and the D1 driver are portable.
  'server-adapter/stores/sqlite/sqlite-file.ts',
  'server-adapter/stores/sqlite/wal-index.ts',
  'server-adapter/stores/sqlite/better-sqlite3-store.ts',
  'server-adapter/stores/sqlite/node-sqlite-store.ts',
  'server-adapter/stores/sqlite/bun-sqlite-store.ts',
  'server-adapter/node-sqlite.ts',
  'server-adapter/bun-sqlite.ts',
]);

describe('import directions in server-adapter/', () => {
  test('the folders exist as the README describes them', () => {
    for (const folder of ['izly', 'payments', 'connect', 'stores']) {
      assert.ok(
        adapter.some((file) => file.path.startsWith(`server-adapter/${folder}/`)),
        `server-adapter/${folder}/ holds sources`,
      );
    }
  });

  test('the Izly client (izly/) imports only from izly/', () => {
    const wrong = adapter
      .filter((file) => file.path.startsWith('server-adapter/izly/'))
      .flatMap((file) =>
        file.imports
          .filter((spec) => spec.includes('/') && !spec.startsWith('server-adapter/izly/') && !spec.startsWith('hono'))
          .map((spec) => `${file.path} → ${spec}`),
      );
    assert.deepEqual(wrong, []);
  });

  test('the stores (stores/) import no flow', () => {
    const wrong = adapter
      .filter((file) => file.path.startsWith('server-adapter/stores/'))
      .flatMap((file) => file.imports.filter((spec) => /^server-adapter\/(payments|connect)\//.test(spec)).map((spec) => `${file.path} → ${spec}`));
    assert.deepEqual(wrong, []);
  });

  test('the runtime-neutral core imports no node: module or driver and uses no runtime global', () => {
    const wrong: string[] = [];
    for (const file of adapter.filter((file) => !NODE_ONLY.has(file.path) && !isServe(file.path))) {
      for (const spec of file.imports) {
        if (/^(node:|bun:|better-sqlite3$|pg$|@hono\/node-server)/.test(spec) || NODE_ONLY.has(`${spec.replace(/\.js$/, '.ts')}`))
          wrong.push(`${file.path} imports ${spec}`);
      }
      for (const name of code(file.text).match(/\b(process|Buffer|Deno|Bun)\s*[.[]/g) ?? []) wrong.push(`${file.path} uses ${name}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('serve/ imports the adapter only through its public entry points, and nothing else imports serve/', () => {
    const wrong: string[] = [];
    for (const file of adapter) {
      for (const spec of file.imports.filter((spec) => spec.startsWith('server-adapter/'))) {
        if (isServe(file.path) && !isServe(spec) && !PUBLIC_ENTRY_POINTS.has(spec)) wrong.push(`${file.path} → ${spec}`);
        if (!isServe(file.path) && isServe(spec)) wrong.push(`${file.path} → ${spec}`);
      }
    }
    assert.ok(
      adapter.some((file) => isServe(file.path) && file.imports.includes('server-adapter/index.js')),
      'serve/ is found and imports the adapter',
    );
    assert.deepEqual(wrong, []);
  });

  test('the check sees a wrong import when there is one', () => {
    // The rules above would pass on an empty list: make sure the parser finds imports at all.
    const entry = adapter.find((file) => file.path === 'server-adapter/izly-pay.ts');
    assert.ok(entry?.imports.includes('server-adapter/izly/client.js'), 'izly-pay.ts imports the client');
    assert.deepEqual(code("import x from 'node:fs'; // process.env\n/* Buffer.from */ const y = 1;").match(/\b(process|Buffer)\s*[.[]/g), null);
  });
});

describe('import directions in widget/', () => {
  test('the widget imports nothing from the server side or the sandbox', () => {
    const wrong = sourceFiles('widget').flatMap((file) =>
      file.imports.filter((spec) => /^(server-adapter|sandbox|demo)\//.test(spec) || /^(hono|node:)/.test(spec)).map((spec) => `${file.path} → ${spec}`),
    );
    assert.deepEqual(wrong, []);
  });
});
