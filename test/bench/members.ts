// The members benchmark: one organization of 100,000 members (and 1,000 pending invitations) on
// SQLite. An Administrator opens `/access users <search>`, changes a filter, pages on, and applies
// a bulk action to 100 selected people; the bare Bolt app gets the same kinds of request in the
// same run. The measuring runs in a fresh child process (the compiled members-child.ts), away from
// the seeding's garbage.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { seedMembers } from '../support/members.js';
import { MEMBERS_BENCH_ADMIN, MEMBERS_BENCH_CUSTOMER_NUMBER, type MembersFigures } from './members-child.js';
import { compiledEntry } from './processes.js';

export interface MembersBenchResult extends MembersFigures {
  members: number;
  invitations: number;
  /** How long seeding the organization took. */
  seedMilliseconds: number;
}

async function buildDatabase(url: string, members: number, invitations: number): Promise<number> {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const database = await openDatabase(target);
  try {
    await ensurePermissionCatalog(database.prisma);
    const organization = await createOrganization(database.prisma, {
      name: 'Benchmark County',
      customerNumber: MEMBERS_BENCH_CUSTOMER_NUMBER,
      timeZone: 'UTC',
    });
    await addAdministrator(database.prisma, {
      customerNumber: MEMBERS_BENCH_CUSTOMER_NUMBER,
      slackUserId: MEMBERS_BENCH_ADMIN,
      displayName: 'Admin',
      email: 'admin@example.com',
    });
    const admin = await database.prisma.member.findUniqueOrThrow({ where: { slackUserId: MEMBERS_BENCH_ADMIN } });
    const started = performance.now();
    await seedMembers(database.sql, {
      organizationId: organization.id,
      timeZone: 'UTC',
      members,
      invitations,
      invitedById: admin.id,
      now: new Date(),
    });
    return Math.round(performance.now() - started);
  } finally {
    await database.close();
  }
}

async function inChild(url: string): Promise<MembersFigures> {
  const child = spawn(process.execPath, ['--enable-source-maps', compiledEntry('test/bench/members-child.ts'), url], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  await once(child, 'exit');
  return JSON.parse(line) as MembersFigures;
}

export async function measureMembers(options: { members: number; invitations: number }): Promise<MembersBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-members-'));
  const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
  try {
    const seedMilliseconds = await buildDatabase(url, options.members, options.invitations);
    return { ...options, seedMilliseconds, ...(await inChild(url)) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
