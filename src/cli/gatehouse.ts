import { readProcessEnvironment } from '../config/env.js';
import { redactText } from '../logger.js';
import { runCli } from './main.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

/**
 * One line for an error nothing else explained. Prisma's messages begin with a blank line and the
 * calling source, and end with the reason; other errors lead with it.
 */
function reasonOf(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean);
  const fromPrisma = typeof error === 'object' && error !== null && 'clientVersion' in error;
  return (fromPrisma ? lines.at(-1) : lines[0]) ?? (error instanceof Error ? error.name : 'unknown error');
}

try {
  process.exitCode = await runCli(process.argv.slice(2), io, readProcessEnvironment());
} catch (error) {
  io.err(`gatehouse: ${redactText(reasonOf(error))}`);
  process.exitCode = 2;
}
