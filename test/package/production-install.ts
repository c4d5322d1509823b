// `.ci/run`'s last step, `npx tsx test/package/production-install.ts [--keep]`: installs Gatehouse
// the way production does and runs it from there. It builds this checkout, packs it, unpacks the
// package beside the lockfile in a temporary folder, runs `npm ci --omit=dev` there, and then, from
// that folder only:
// - `npm start` on SQLite (the default DATABASE_URL), ready on /readyz; then the command it runs
//   (`node … dist/src/server.js`), as a process manager starts it, stopped by SIGTERM: exit 0;
// - on a throwaway PostgreSQL server, `npx gatehouse db migrate` once, then two replicas started
//   and stopped the same way;
// - `npx gatehouse help`, timed, and `npx gatehouse org list` against the SQLite database.
// The local Slack answers the server's auth.test. Any failure throws: the step exits 1 and says what.
// `--keep` leaves the installed folder for a look; `--installed FOLDER` runs the checks again on one.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { startPostgres, type PostgresServer } from '../../src/sandbox/postgres-server.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';

const BOT_TOKEN = 'xoxb-production-install-check';
const SIGNING_SECRET = 'production-install-signing-secret';
/** Packages that only the tests, the demo or the build use; a production install must not have them. */
const DEV_ONLY = ['tsx', 'vitest', 'smtp-server', 'mailparser', 'yaml', 'eslint', 'playwright-core', 'prisma-kysely'];

class CheckFailed extends Error {}

function step(title: string): void {
  process.stdout.write(`\n== production install: ${title}\n`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new CheckFailed(
      `\`${command} ${args.join(' ')}\` in ${cwd} exited ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/** The production environment: only what an operator would set, no development leftovers. */
function productionEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

interface Started {
  name: string;
  child: ChildProcess;
  output(): string;
}

/**
 * How a server is started: `npm start` as a person does, or the command it runs (package.json's
 * `start` script) as a process manager should, so that SIGTERM reaches the server itself.
 */
type Launch = 'npm start' | 'start command';

function commandFor(launch: Launch, folder: string): [string, string[]] {
  if (launch === 'npm start') return ['npm', ['start']];
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = manifest.scripts.start.split(' ');
  if (program !== 'node') throw new CheckFailed(`the start script is not a plain node command: ${manifest.scripts.start}`);
  return [process.execPath, args];
}

/** Starts a server in `folder` and waits until GET /readyz answers 200. */
async function startServer(name: string, launch: Launch, folder: string, env: NodeJS.ProcessEnv, port: number): Promise<Started> {
  const [command, args] = commandFor(launch, folder);
  // npm start in a process group of its own, so that it can be stopped the way a terminal stops it.
  const child = spawn(command, args, {
    cwd: folder,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: launch === 'npm start',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = { name, child, output: () => output };
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new CheckFailed(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) {
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (health.status !== 200) throw new CheckFailed(`${name}: /readyz answered 200 but /healthz ${health.status}`);
        process.stdout.write(`${name}: ready on port ${port} (${await response.text()})\n`);
        return started;
      }
    } catch (error) {
      if (error instanceof CheckFailed) throw error;
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new CheckFailed(`${name} was not ready within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM, as a process manager stops a replica: the server must shut down by itself and exit 0. */
async function stopServer(started: Started): Promise<void> {
  const exited = once(started.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 20_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new CheckFailed(`${started.name} did not exit 0 on SIGTERM (${code ?? signal}):\n${started.output()}`);
  if (!started.output().includes('shutting down'))
    throw new CheckFailed(`${started.name} exited without logging its shutdown:\n${started.output()}`);
  process.stdout.write(`${started.name}: stopped by SIGTERM, exit 0\n`);
}

/**
 * SIGTERM to `npm start`'s whole process group, as Ctrl-C in a terminal reaches npm and the server
 * alike (npm itself neither forwards SIGTERM nor waits for its script). Done when the server has
 * logged its shutdown and closed the output it shares with npm, which only its exit does.
 */
async function stopNpmStart(started: Started): Promise<void> {
  const closed = once(started.child, 'close');
  process.kill(-started.child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-started.child.pid!, 'SIGKILL'), 20_000);
  await closed;
  clearTimeout(timer);
  if (!started.output().includes('shutting down'))
    throw new CheckFailed(`${started.name} stopped without logging its shutdown:\n${started.output()}`);
  process.stdout.write(`${started.name}: stopped by SIGTERM to its process group\n`);
}

/** Builds this checkout, packs it, and installs the package in `folder` as production does. */
function buildAndInstall(workspace: string, folder: string): void {
  step('build and pack');
  run('npm', ['run', 'build'], PROJECT_ROOT);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', workspace], PROJECT_ROOT).stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = path.join(workspace, packed[0]!.filename);
  const shipped = packed[0]!.files.map((file) => file.path);
  const forbidden = shipped.filter((file) =>
    /^(src\/(?!db\/dev\/postinstall\.js$)|test\/|dist\/(test|src\/demo|src\/sandbox)\/)/.test(file),
  );
  if (forbidden.length > 0) throw new CheckFailed(`the package ships files production never runs: ${forbidden.join(', ')}`);
  process.stdout.write(`${path.basename(tarball)}: ${shipped.length} files\n`);

  step('npm ci --omit=dev from the package and the lockfile');
  mkdirSync(folder);
  run('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1'], workspace);
  cpSync(path.join(PROJECT_ROOT, 'package-lock.json'), path.join(folder, 'package-lock.json'));
  const installStarted = performance.now();
  run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], folder, { ...process.env, NODE_ENV: 'production' });
  process.stdout.write(`installed in ${((performance.now() - installStarted) / 1000).toFixed(1)} s\n`);
  const present = DEV_ONLY.filter((name) => existsSync(path.join(folder, 'node_modules', name)));
  if (present.length > 0) throw new CheckFailed(`npm ci --omit=dev installed development packages: ${present.join(', ')}`);
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const reuseAt = process.argv.indexOf('--installed');
  const installed = reuseAt >= 0 ? process.argv[reuseAt + 1] : undefined;
  const workspace = installed ? path.dirname(path.resolve(installed)) : mkdtempSync(path.join(os.tmpdir(), 'gatehouse-production-'));
  const folder = installed ? path.resolve(installed) : path.join(workspace, 'gatehouse');
  let emulator: SlackEmulator | undefined;
  let postgres: PostgresServer | undefined;
  const running: Started[] = [];
  try {
    if (!installed) buildAndInstall(workspace, folder);
    else process.stdout.write(`using the production install in ${folder}\n`);

    emulator = await startSlackEmulator({ token: BOT_TOKEN });
    const slack = { SLACK_API_URL: emulator.url };

    step('npm start on SQLite, then its start command under SIGTERM');
    running.push(await startServer('npm start', 'npm start', folder, productionEnvironment(slack), await freePort()));
    await stopNpmStart(running.pop()!);
    if (!existsSync(path.join(folder, 'data', 'gatehouse.db')))
      throw new CheckFailed('the SQLite server did not create data/gatehouse.db in its folder');
    running.push(await startServer('SQLite server', 'start command', folder, productionEnvironment(slack), await freePort()));
    await stopServer(running.pop()!);

    step('npx gatehouse');
    const helpStarted = performance.now();
    const help = run('npx', ['--no-install', 'gatehouse', 'help'], folder, productionEnvironment({}));
    const helpMs = performance.now() - helpStarted;
    if (!help.stdout.startsWith('Usage: gatehouse <command>'))
      throw new CheckFailed(`npx gatehouse help printed:\n${help.stdout}\n${help.stderr}`);
    const binStarted = performance.now();
    run(path.join(folder, 'dist/src/cli/gatehouse.js'), ['help'], folder, productionEnvironment({}));
    const binMs = performance.now() - binStarted;
    process.stdout.write(`npx gatehouse help took ${helpMs.toFixed(0)} ms (the bin itself, without npx: ${binMs.toFixed(0)} ms)\n`);
    const list = run('npx', ['--no-install', 'gatehouse', 'org', 'list'], folder, productionEnvironment({}));
    if (!list.stdout.includes('No organizations yet'))
      throw new CheckFailed(`npx gatehouse org list printed:\n${list.stdout}\n${list.stderr}`);
    process.stdout.write('npx gatehouse org list: answered from data/gatehouse.db\n');

    step('PostgreSQL: migrate once, then two replicas');
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase('gatehouse_production');
    const migrated = run(
      'npx',
      ['--no-install', 'gatehouse', 'db', 'migrate'],
      folder,
      productionEnvironment({ DATABASE_URL: databaseUrl }),
    );
    if (!migrated.stdout.includes('Applied migrations:'))
      throw new CheckFailed(`gatehouse db migrate printed:\n${migrated.stdout}\n${migrated.stderr}`);
    process.stdout.write(migrated.stdout);
    const replicaEnvironment = productionEnvironment({ ...slack, DATABASE_URL: databaseUrl });
    const replicas = await Promise.all(
      ['PostgreSQL replica 1', 'PostgreSQL replica 2'].map(async (name) =>
        startServer(name, 'start command', folder, replicaEnvironment, await freePort()),
      ),
    );
    running.push(...replicas);
    while (running.length > 0) await stopServer(running.pop()!);

    step('passed');
  } finally {
    for (const started of running) {
      if (started.child.exitCode === null)
        process.kill(started.child.spawnargs[0] === 'npm' ? -started.child.pid! : started.child.pid!, 'SIGKILL');
    }
    await emulator?.close();
    await postgres?.stop();
    if (keep || installed) process.stdout.write(`kept ${folder}\n`);
    else rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\nproduction install check FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!(error instanceof CheckFailed) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
