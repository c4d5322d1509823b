// One invitation, measured in a process of its own: `invitation-child.ts <database url> <size> <offset>`
// prints the figures as one JSON line. It imports only what the app needs to send an invitation.
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { checkAddresses, chooseGrant, removeInvalidEntries, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';

export const BENCH_ADMIN = 'UADMINBENCH';
export const BENCH_CUSTOMER_NUMBER = '900001';

export interface InvitationFigures {
  addresses: number;
  milliseconds: number;
  peakRssMb: number;
  invitations: number;
}

/** What an admin would paste: mostly existing members (some connected), some strangers, a few typos and repeats. */
function pastedText(size: number, offset: number): string {
  const lines: string[] = [];
  for (let index = 0; index < size; index += 1) {
    const n = offset + index;
    if (index % 100 === 99) lines.push(`not-an-address-${n}`);
    else if (index % 3 === 0) lines.push(`stranger${n}@example.net`);
    else lines.push(`member${n}@example.com`);
  }
  return lines.join('\n');
}

/** Runs in the child: one invitation, timed from the pasted text to the committed rows. */
async function measureOne(url: string, size: number, offset: number): Promise<InvitationFigures> {
  const { prisma, close } = await openDatabase(parseDatabaseUrl(url));
  try {
    const organization = await prisma.organization.findUniqueOrThrow({ where: { customerNumber: BENCH_CUSTOMER_NUMBER } });
    const settings = { sealingKey: invitationSealingKey('bench secret') };
    const now = new Date();
    // One warm-up round with a tiny list, so the figure is the invitation and not the first query's compile.
    await runInvitation(prisma, organization.id, pastedText(3, 9_000_000), settings, now);
    const started = performance.now();
    const invitations = await runInvitation(prisma, organization.id, pastedText(size, offset), settings, now);
    const milliseconds = performance.now() - started;
    return {
      addresses: size,
      milliseconds: Math.round(milliseconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      invitations,
    };
  } finally {
    await close();
  }
}

async function runInvitation(
  prisma: Db,
  organizationId: number,
  text: string,
  settings: { sealingKey: Buffer },
  now: Date,
): Promise<number> {
  const checked = await checkAddresses(prisma, { actorSlackUserId: BENCH_ADMIN, organizationId, text, draftId: null }, now);
  const draftId = checked.draftId;
  // The admin removes the invalid entries before step 2, as the modal requires.
  await removeInvalidEntries(prisma, { actorSlackUserId: BENCH_ADMIN, draftId, entry: null }, now);
  await chooseGrant(
    prisma,
    { actorSlackUserId: BENCH_ADMIN, draftId, permissions: [PERMISSION.esriAccess], endsOn: null, caller: null },
    now,
  );
  await saveSendingChoices(
    prisma,
    { actorSlackUserId: BENCH_ADMIN, draftId, tags: ['bench'], personalMessage: 'Welcome', language: 'en', logNote: 'Benchmark' },
    now,
  );
  const sent = await sendInvitations(prisma, { actorSlackUserId: BENCH_ADMIN, draftId }, settings, now);
  return sent.sent;
}

if (/invitation-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [url, size, offset] = process.argv.slice(2);
  const figures = await measureOne(url!, Number(size), Number(offset));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
