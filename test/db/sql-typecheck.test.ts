import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * A typo in a real hand-written statement fails the compiler: the decision path's writes are
 * compiled as they are, then with one name misspelt, and only the misspelt copies have errors.
 */

const root = path.resolve(import.meta.dirname, '../..');
const target = path.join(root, 'src/db/connection-writes.ts');

const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, 'tsconfig.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
);
if (!config) throw new Error('tsconfig.json could not be read');
const options = { ...config.options, noEmit: true };

/** A compiler host that reads every file once, and the statements' file from `current`. */
let current = '';
const host = ts.createCompilerHost(options);
const parsed = new Map<string, ts.SourceFile | undefined>();
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (file, language, onError) => {
  if (path.resolve(file) === target) return ts.createSourceFile(file, current, language, true);
  if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language, onError));
  return parsed.get(file);
};
let previous: ts.Program | undefined;

/** The compiler's errors in the statements' file with `source` as its text. */
function diagnosticsOf(source: string): string[] {
  current = source;
  const program = ts.createProgram({ rootNames: [target], options, host, oldProgram: previous });
  previous = program;
  const file = program.getSourceFile(target)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((diagnostic) =>
    ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  );
}

const original = readFileSync(target, 'utf8');

/** Replaces exactly one occurrence, so a mutation that no longer applies fails the test instead of passing it. */
function misspell(text: string, correct: string, wrong: string): string {
  const at = text.indexOf(correct);
  expect(at, `${correct} is in ${path.basename(target)}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, at) + wrong + text.slice(at + correct.length);
}

describe('a typo in hand-written SQL', () => {
  it('compiles the statements as they are', () => {
    expect(diagnosticsOf(original)).toEqual([]);
  }, 60_000);

  it.each([
    ['an enum value', "'REMOVED'", "'REMOVD'"],
    ['another enum value', "'PENDING'", "'PENDNG'"],
    ['a column in a condition', "'connectionId', '='", "'connectionID', '='"],
    ['a column being set', 'decisionNote:', 'decisionNotes:'],
    ['a table', "'ConnectionPermission'", "'ConnectionPermissions'"],
  ])(
    'fails typecheck when %s is misspelt',
    (_what, correct, wrong) => {
      const errors = diagnosticsOf(misspell(original, correct, wrong));
      expect(errors.join('\n')).toContain(wrong.replace(/[:,].*$/, '').replaceAll("'", ''));
    },
    60_000,
  );
});
