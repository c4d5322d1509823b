#!/usr/bin/env node
// The `gatehouse` command (package.json's bin, compiled to dist/src/cli/gatehouse.js; tsc keeps
// the shebang). Asking for help loads nothing but the usage text; any other command imports the
// configuration, Prisma and the services it needs only then.
import { USAGE, helpStatus } from './usage.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

/**
 * One line for an error nothing else explained. Prisma's messages begin with a blank line and the
 * calling source, and end with the reason; other errors lead with it.
 */
function reasonOf(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const fromPrisma = typeof error === 'object' && error !== null && 'clientVersion' in error;
  return (fromPrisma ? lines.at(-1) : lines[0]) ?? (error instanceof Error ? error.name : 'unknown error');
}

async function runCommand(argv: string[]): Promise<number> {
  const [{ runCli }, { readProcessEnvironment }] = await Promise.all([import('./main.js'), import('../config/env.js')]);
  return runCli(argv, io, readProcessEnvironment());
}

const argv = process.argv.slice(2);
const asksForHelp = helpStatus(argv);
if (asksForHelp !== null) {
  io.out(USAGE);
  process.exitCode = asksForHelp;
} else {
  try {
    process.exitCode = await runCommand(argv);
  } catch (error) {
    const { redactText } = await import('../logger.js');
    io.err(`gatehouse: ${redactText(reasonOf(error))}`);
    process.exitCode = 2;
  }
}
