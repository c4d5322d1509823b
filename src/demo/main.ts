/** `npm run demo`: Gatehouse against a local Slack, in the browser. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { RunningDemo } from './demo.js';
import { DEFAULT_PORTS } from './ports.js';

const USAGE = `Usage: npm run demo -- [options]

Runs Gatehouse against a local Slack you use in the browser. No Slack workspace, tokens or
network needed. The story is seeded afresh at every start.

Options:
  --port N         the web page's port (default ${DEFAULT_PORTS.web})
  --slack-port N   the local Slack's port (default ${DEFAULT_PORTS.slack})
  --app-port N     Gatehouse's port (default ${DEFAULT_PORTS.app})
  --keep           keep the last run's database instead of seeding afresh
  --data-dir DIR   where the database and log go (default data/demo)
  --help           show this`;

const port = z
  .string()
  .regex(/^\d+$/, 'must be a port number')
  .transform(Number)
  .pipe(z.number().int().min(0, 'must be a port number').max(65535, 'must be at most 65535'));

const argsSchema = z.strictObject({
  port: port.optional(),
  'slack-port': port.optional(),
  'app-port': port.optional(),
  keep: z.boolean().optional(),
  'data-dir': z.string().min(1).optional(),
  help: z.boolean().optional(),
});

function parseCommandLine(argv: string[]): z.infer<typeof argsSchema> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'slack-port': { type: 'string' },
        'app-port': { type: 'string' },
        keep: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')} ${issue.message}`).join('\n'));
  }
  return parsed.data;
}

class UsageError extends Error {}

function banner(demo: RunningDemo): string {
  return [
    '',
    '  Gatehouse demo is running.',
    '',
    `  Open ${demo.url} in your browser.`,
    '  Switch between the seeded people with "Viewing as"; type /access in the composer.',
    `  (Gatehouse itself runs on ${demo.appUrl}, its local Slack on ${demo.slackUrl}.)`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let args: z.infer<typeof argsSchema>;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  // Loaded only now, so a mistyped option or --help answers at once, before Gatehouse is loaded.
  const { startDemo } = await import('./demo.js');
  const demo = await startDemo({
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args['slack-port'] !== undefined ? { slackPort: args['slack-port'] } : {}),
    ...(args['app-port'] !== undefined ? { appPort: args['app-port'] } : {}),
    ...(args['data-dir'] !== undefined ? { dataDir: args['data-dir'] } : {}),
    keep: args.keep ?? false,
  });
  console.log(banner(demo));
  const shutdown = () => {
    console.log('Stopping the demo…');
    demo.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('The demo did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const inUse = typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE';
  console.error(
    inUse
      ? `The demo could not start: a port is already in use (${message}). Choose others with --port, --slack-port and --app-port.`
      : `The demo could not start: ${message}`,
  );
  process.exit(1);
});
