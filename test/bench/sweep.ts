// The sweep benchmark: 10^4, 10^5 and 10^6 connections on SQLite, 10^4 of them past their end,
// and one full time-limit sweep over each. The outbox is written, not delivered. Each size is built
// in a fresh database and swept in a fresh process (the compiled sweep-child.ts), so the peak RSS
// is the sweep's own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { insertRows } from '../../src/db/bulk-insert.js';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { compiledEntry } from './processes.js';
import { SWEEP_AT, type SweepFigures } from './sweep-child.js';

const ORGANIZATIONS = 100;
const DUE = 10_000;
const DAY = 24 * 60 * 60 * 1000;

export interface SweepBenchResult {
  sizes: SweepFigures[];
}

/** `total` connections across 100 organizations (one Administrator each); the first 10^4 ended a day before the sweep. */
async function buildDatabase(url: string, total: number): Promise<void> {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const { prisma, close } = await openDatabase(target);
  try {
    await ensurePermissionCatalog(prisma);
    const now = new Date();
    await prisma.$transaction(
      async (tx) => {
        await insertRows(
          tx,
          'Organization',
          Array.from({ length: ORGANIZATIONS }, (_, index) => ({
            name: `Organization ${index}`,
            customerNumber: String(800_000 + index),
            searchText: `organization ${index}`,
            timeZone: 'UTC',
            createdAt: now,
            updatedAt: now,
          })),
        );
        const organizations = await tx.organization.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
        const members = total + ORGANIZATIONS;
        for (let start = 0; start < members; start += 10_000) {
          await insertRows(
            tx,
            'Member',
            Array.from({ length: Math.min(10_000, members - start) }, (_, offset) => {
              const n = start + offset;
              return {
                slackUserId: `US${String(n).padStart(9, '0')}`,
                displayName: `Member ${n}`,
                email: `member${n}@example.com`,
                language: 'en',
                createdAt: now,
                updatedAt: now,
              };
            }),
          );
        }
        const firstMember = (await tx.member.findFirstOrThrow({ orderBy: { id: 'asc' }, select: { id: true } })).id;
        // Members 0…99 are the Administrators; the rest are the connections being swept.
        await insertRows(
          tx,
          'Connection',
          organizations.map((organization, index) => ({
            organizationId: organization.id,
            memberId: firstMember + index,
            status: 'ACTIVE',
            tags: '[]',
            connectedAt: now,
            updatedAt: now,
          })),
        );
        const admins = await tx.connection.findMany({ select: { id: true } });
        await insertRows(
          tx,
          'ConnectionPermission',
          admins.map((admin) => ({ connectionId: admin.id, permissionKey: PERMISSION.administrator })),
        );
        const ended = new Date(SWEEP_AT.getTime() - DAY);
        const endedOn = ended.toISOString().slice(0, 10);
        const later = new Date(SWEEP_AT.getTime() + 400 * DAY);
        const laterOn = later.toISOString().slice(0, 10);
        for (let start = 0; start < total; start += 10_000) {
          await insertRows(
            tx,
            'Connection',
            Array.from({ length: Math.min(10_000, total - start) }, (_, offset) => {
              const n = start + offset;
              const due = n < DUE;
              // Most access never ends; some ends well after the warning window.
              const endsAt = due ? ended : n % 10 === 0 ? later : null;
              const endsOn = due ? endedOn : n % 10 === 0 ? laterOn : null;
              return {
                organizationId: organizations[n % ORGANIZATIONS]!.id,
                memberId: firstMember + ORGANIZATIONS + n,
                status: 'ACTIVE' as const,
                tags: '[]',
                endsOn,
                endsAt,
                connectedAt: now,
                updatedAt: now,
              };
            }),
          );
        }
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
  } finally {
    await close();
  }
}

async function sweepInChild(url: string, total: number): Promise<SweepFigures> {
  const child = spawn(process.execPath, ['--enable-source-maps', compiledEntry('test/bench/sweep-child.ts'), url, String(total)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  await once(child, 'exit');
  return JSON.parse(line) as SweepFigures;
}

export async function measureSweep(sizes: number[]): Promise<SweepBenchResult> {
  const figures: SweepFigures[] = [];
  for (const total of sizes) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-sweep-'));
    try {
      const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
      await buildDatabase(url, total);
      figures.push(await sweepInChild(url, total));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { sizes: figures };
}
