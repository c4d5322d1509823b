// Seeds the permission catalog (My Esri's permissions) into the configured database.
// Run with `npm run db:seed`; `npx gatehouse permissions seed` does the same.
import { runCli } from '../../src/cli/main.js';

process.exitCode = await runCli(['permissions', 'seed'], {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
