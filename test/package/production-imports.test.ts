// What the compiled server and CLI load at run time, read from the sources' import statements: a
// production install (`npm ci --omit=dev`) has only package.json's dependencies, so everything
// the entry points reach must be among them, and nothing they reach may be development-only code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';

const ENTRY_POINTS = ['src/server.ts', 'src/cli/gatehouse.ts'];
const DEVELOPMENT_ONLY = /^(src\/(sandbox|demo|db\/dev)\/|test\/|prisma\/)/;

interface ModuleImports {
  /** Imports that stay in the compiled JavaScript: static value imports and `import()`. */
  runtime: string[];
  /** Static imports only, value or type: what loading the module loads before it runs. */
  staticRuntime: string[];
  typeOnly: string[];
}

/** The module specifiers of one source file, split by whether they survive compilation. */
function importsOf(file: string): ModuleImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: ModuleImports = { runtime: [], staticRuntime: [], typeOnly: [] };
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      if (typeOnly) found.typeOnly.push(node.moduleSpecifier.text);
      else {
        found.runtime.push(node.moduleSpecifier.text);
        found.staticRuntime.push(node.moduleSpecifier.text);
      }
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      // `import.meta.resolve('…')` names a package the module then loads by its file URL.
      const isResolve = ts.isPropertyAccessExpression(callee) && ts.isMetaProperty(callee.expression) && callee.name.text === 'resolve';
      if (isDynamicImport || isResolve) found.runtime.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every source file the entry points reach through runtime imports, and the packages they name. */
function reachedFrom(entryPoints: string[]) {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = entryPoints.map((entry) => path.join(PROJECT_ROOT, entry));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file).runtime) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!packages.has(packageOf(specifier))) packages.set(packageOf(specifier), path.relative(PROJECT_ROOT, file));
    }
  }
  return { files: [...files].map((file) => path.relative(PROJECT_ROOT, file)), packages };
}

const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
};

describe('what the compiled server and CLI import', () => {
  const reached = reachedFrom(ENTRY_POINTS);

  it('never reaches the local Slack, the demo, the database tools or the tests', () => {
    expect(reached.files.length).toBeGreaterThan(50);
    expect(reached.files).toContain('src/cli/main.ts');
    expect(reached.files.filter((file) => DEVELOPMENT_ONLY.test(file))).toEqual([]);
  });

  it('imports only packages that a production install has', () => {
    const missing = [...reached.packages]
      .filter(([name]) => !(name in manifest.dependencies))
      .map(([name, from]) => `${name} (from ${from})`);
    expect(missing).toEqual([]);
    // The busy paths: if these stopped being reached, the walk itself would be broken.
    expect([...reached.packages.keys()]).toEqual(
      expect.arrayContaining(['@slack/bolt', '@prisma/client', '@prisma/schema-engine-wasm', '@prisma/adapter-pg', 'zod']),
    );
  });

  it('declares as dependencies only packages that Gatehouse itself imports', () => {
    // Every source outside the development-only folders, generated clients included, value or type imports.
    const productionSources = ts.sys
      .readDirectory(path.join(PROJECT_ROOT, 'src'), ['.ts'])
      .filter((file) => !DEVELOPMENT_ONLY.test(path.relative(PROJECT_ROOT, file)) && !file.endsWith('.test.ts'));
    const imported = new Set(
      productionSources.flatMap((file) => {
        const { runtime, typeOnly } = importsOf(file);
        return [...runtime, ...typeOnly].filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:')).map(packageOf);
      }),
    );
    // better-sqlite3 is opened by @prisma/adapter-better-sqlite3, which names it only as a peer.
    const loadedByAnotherDependency = new Set(['better-sqlite3']);
    const unused = Object.keys(manifest.dependencies).filter((name) => !imported.has(name) && !loadedByAnotherDependency.has(name));
    expect(unused).toEqual([]);
  });

  it('answers `gatehouse help` from the usage text alone: every other module is loaded only for a command', () => {
    expect(manifest.bin.gatehouse).toBe('dist/src/cli/gatehouse.js');
    expect(importsOf(path.join(PROJECT_ROOT, 'src/cli/gatehouse.ts')).staticRuntime).toEqual(['./usage.js']);
    expect(importsOf(path.join(PROJECT_ROOT, 'src/cli/usage.ts')).staticRuntime).toEqual([]);
    expect(readFileSync(path.join(PROJECT_ROOT, 'src/cli/gatehouse.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
