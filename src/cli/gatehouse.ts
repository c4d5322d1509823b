import { readProcessEnvironment } from '../config/env.js';
import { redactText } from '../logger.js';
import { runCli } from './main.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io, readProcessEnvironment());
} catch (error) {
  io.err(`gatehouse: ${redactText(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  process.exitCode = 2;
}
