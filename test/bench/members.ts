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
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { openBenchOrganization } from './bench-organization.js';
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
  const { database, organization, admin } = await openBenchOrganization(url, {
    name: 'Benchmark County',
    customerNumber: MEMBERS_BENCH_CUSTOMER_NUMBER,
    timeZone: 'UTC',
    adminSlackUserId: MEMBERS_BENCH_ADMIN,
  });
  try {
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
