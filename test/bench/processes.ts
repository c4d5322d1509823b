import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/db/paths.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident memory reported by the process itself, if it reports it. */
  stop(): Promise<void>;
}

/**
 * The compiled JavaScript of a TypeScript entry point, as `npm start` runs it: the benchmark
 * measures what production runs, without a TypeScript loader in the process.
 */
export function compiledEntry(entry: string): string {
  const compiled = path.join(PROJECT_ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing; run \`npm run build\` first (npm run bench does).`);
  return compiled;
}

/** Starts an entry point, compiled, in its own Node process and waits until `healthPath` answers. */
export async function startServerProcess(
  entry: string,
  env: Record<string, string>,
  port: number,
  healthPath: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', compiledEntry(entry)], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with status ${child.exitCode}`);
    try {
      const response = await fetch(`${url}${healthPath}`);
      if (response.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not start within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
