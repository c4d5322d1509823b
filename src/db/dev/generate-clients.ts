import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { SCHEMA_FILES } from '../paths.js';

/**
 * Generates the Prisma client for each database. `prisma generate` only checks that a schema
 * engine binary exists (it cannot download one offline and does not run it), so it is pointed at
 * Node itself.
 */
const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

const childEnvironment = {
  // eslint-disable-next-line no-restricted-properties -- a build step handing its environment to the Prisma CLI
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const schema of Object.values(SCHEMA_FILES)) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    stdio: 'inherit',
    env: childEnvironment,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
