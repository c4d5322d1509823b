// The invitation benchmark: one invitation of 100 to 1000 addresses against 100,000 members,
// from the pasted text to the invitations, code hashes, log entries and outbox rows. Each size runs
// in a fresh child process (the compiled invitation-child.ts, as production runs compiled code)
// so its peak RSS is its own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';

import { compiledEntry } from './processes.js';
import { BENCH_ADMIN as ADMIN, BENCH_CUSTOMER_NUMBER as CUSTOMER_NUMBER, type InvitationFigures } from './invitation-child.js';

export interface InvitationBenchResult {
  members: number;
  sizes: InvitationFigures[];
}

/** Members 0…n-1 with addresses member<i>@example.com; every 50th of the first 20,000 is connected. */
async function buildDatabase(url: string, members: number): Promise<void> {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const { prisma, close } = await openDatabase(target);
  try {
    await ensurePermissionCatalog(prisma);
    const organization = await createOrganization(prisma, { name: 'Benchmark County', customerNumber: CUSTOMER_NUMBER });
    await addAdministrator(prisma, {
      customerNumber: CUSTOMER_NUMBER,
      slackUserId: ADMIN,
      displayName: 'Admin',
      email: 'admin@example.com',
    });
    for (let start = 0; start < members; start += 5000) {
      await prisma.member.createMany({
        data: Array.from({ length: Math.min(5000, members - start) }, (_, offset) => ({
          slackUserId: `UB${String(start + offset).padStart(9, '0')}`,
          displayName: `Member ${start + offset}`,
          email: `member${start + offset}@example.com`,
        })),
      });
    }
    const connected = await prisma.member.findMany({
      where: { slackUserId: { startsWith: 'UB' } },
      orderBy: { id: 'asc' },
      take: 20_000,
      select: { id: true },
    });
    await prisma.connection.createMany({
      data: connected.filter((_, index) => index % 50 === 0).map((member) => ({ organizationId: organization.id, memberId: member.id })),
    });
  } finally {
    await close();
  }
}

async function inChild(url: string, size: number, offset: number): Promise<InvitationFigures> {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', compiledEntry('test/bench/invitation-child.ts'), url, String(size), String(offset)],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  await once(child, 'exit');
  return JSON.parse(line) as InvitationFigures;
}

export async function measureInvitations(options: { members: number; sizes: number[] }): Promise<InvitationBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-invite-'));
  const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
  try {
    await buildDatabase(url, options.members);
    const sizes: InvitationFigures[] = [];
    // Each size invites different people, so no run finds the previous run's invitations pending.
    let offset = 0;
    for (const size of options.sizes) {
      sizes.push(await inChild(url, size, offset));
      offset += size;
    }
    return { members: options.members, sizes };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
