#!/usr/bin/env node
// Prints the longest functions of a folder (default server-adapter/), by lines from their first to their
// last line, longest first: `node scripts/longest-functions.mjs [folder] [count]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const folder = process.argv[2] ?? 'server-adapter';
const count = Number(process.argv[3] ?? 10);
const found = [];
const files = readdirSync(folder, { recursive: true })
  .map(String)
  .filter((name) => /\.tsx?$/.test(name));
for (const file of files) {
  const path = join(folder, file);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const name = node.name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
      found.push({ lines: last - first + 1, where: `${path}:${first + 1}`, name });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
found.sort((a, b) => b.lines - a.lines);
for (const { lines, where, name } of found.slice(0, count)) console.log(`${String(lines).padStart(5)}  ${name}  ${where}`);
