// package.json's postinstall, run by every `npm install` and `npm ci` of Gatehouse itself. Plain
// JavaScript, because it runs before anything is compiled and, in a production install, without
// tsx or TypeScript.
//
// - A development install (devDependencies present): the Prisma clients and the Kysely types are
//   generated from prisma/schema.prisma here, because they are not committed. That needs the
//   Prisma CLI, prisma-kysely and tsx, all devDependencies.
// - A production install (`npm ci --omit=dev` of the packed package): none of those is installed,
//   and none is needed: `npm run build` compiled the generated clients into dist/src/db/generated/,
//   which the package ships. Generating again would fail, so this step only checks they are there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const generator = path.join(root, 'src/db/dev/generate-clients.ts');
const compiledClients = ['sqlite', 'postgresql'].map((provider) => path.join(root, 'dist/src/db/generated', provider, 'client.js'));

function installed(name) {
  try {
    createRequire(path.join(root, 'package.json')).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

if (existsSync(generator) && installed('tsx') && installed('prisma')) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', generator], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const missing = compiledClients.filter((file) => !existsSync(file));
if (missing.length > 0) {
  // Not a failure: an image may install its production dependencies before copying dist/ in.
  console.warn(
    `gatehouse: the Prisma CLI and tsx are not installed (a production install), and the compiled clients are not there yet (${missing
      .map((file) => path.relative(root, file))
      .join(', ')}). Build in a development checkout (npm ci && npm run build) and ship dist/ with the package.`,
  );
}
