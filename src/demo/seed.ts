/**
 * The demo's story (see the README's tour): one organization, its admins and members, an
 * expired member in the grace period, a pending invitation and an open request. Everything goes
 * through Gatehouse's own services, so the database, the permissions log and the outbox hold
 * exactly what they would had people done it in Slack.
 */
import { addDays, subDays } from 'date-fns';
import { calendarDateIn } from '../domain/dates.js';
import { PERMISSION } from '../domain/permission-catalog.js';
import { invitationSealingKey } from '../domain/invitation-tokens.js';
import { jobNamed, type JobContext } from '../jobs/jobs.js';
import type { SlackEmulator } from '../sandbox/slack-emulator.js';
import type { RunningGatehouse } from '../server.js';
import { decideRequest, submitAccessRequest, type Settings } from '../services/access-requests.js';
import { addAdministrator } from '../services/administrators.js';
import { checkAddresses, chooseGrant } from '../services/invitations/invite-drafts.js';
import { sendInvitations } from '../services/invitations/send-invitations.js';
import { createOrganization } from '../services/organizations.js';
import type { CallerSettings } from '../domain/read-models.js';
import type { DemoConversation, DemoPerson } from './protocol.js';

export const DEMO_TEAM = { id: 'T0DEMO', name: 'Redlands Demo', domain: 'redlands-demo' };

export const DEMO_ORGANIZATION = {
  name: 'City of Redlands',
  customerNumber: '123456',
  acronym: 'COR',
  city: 'Redlands',
  country: 'US',
  timeZone: 'America/Los_Angeles',
};

export const DEMO_CHANNELS = {
  admins: {
    id: 'C0DEMOADMINS',
    kind: 'channel',
    name: '#redlands-admins',
    purpose: "City of Redlands's admins: access requests waiting for a decision.",
  },
  audit: {
    id: 'C0DEMOAUDIT',
    kind: 'channel',
    name: '#redlands-audit',
    purpose: "Every change to City of Redlands's access, as it happens.",
  },
  triage: {
    id: 'C0DEMOTRIAGE',
    kind: 'channel',
    name: '#gatehouse-triage',
    purpose: "Gatehouse's operators: requests no organization's admins can take.",
  },
} as const satisfies Record<string, DemoConversation>;

export const OPERATOR_ID = 'U0DEMOADA';

interface SeededPerson extends DemoPerson {
  email: string;
  /** The demo's channels this person is in. */
  channels: readonly string[];
}

const ADMIN_CHANNELS = [DEMO_CHANNELS.admins.id, DEMO_CHANNELS.audit.id];

function person(id: string, realName: string, role: string, tz: string, channels: readonly string[] = []): SeededPerson {
  const [first = realName, ...rest] = realName.toLowerCase().split(' ');
  return { id, name: realName, realName, role, tz, email: `${first}.${rest.join('-')}@example.com`, channels };
}

/** Everyone in the demo's workspace, in the order the person switcher lists them. */
export const DEMO_PEOPLE: readonly SeededPerson[] = [
  person('U0DEMOADA', 'Ada Lovelace', 'Administrator', 'America/Los_Angeles', [...ADMIN_CHANNELS, DEMO_CHANNELS.triage.id]),
  person('U0DEMOGRACE', 'Grace Hopper', 'Training admin', 'America/New_York', ADMIN_CHANNELS),
  person('U0DEMOALAN', 'Alan Turing', 'Callers admin', 'Europe/London', ADMIN_CHANNELS),
  person('U0DEMOKATH', 'Katherine Johnson', 'Member', 'America/New_York'),
  person('U0DEMOEDS', 'Edsger Dijkstra', 'Member', 'Europe/Amsterdam'),
  person('U0DEMOBARB', 'Barbara Liskov', 'Member', 'America/New_York'),
  person('U0DEMOKNUTH', 'Donald Knuth', 'Member', 'America/Los_Angeles'),
  person('U0DEMOMARG', 'Margaret Hamilton', 'Member', 'America/New_York'),
  person('U0DEMOKEN', 'Ken Thompson', 'Member', 'America/Los_Angeles'),
  person('U0DEMOFRAN', 'Frances Allen', 'Member', 'America/New_York'),
  person('U0DEMOJOHN', 'John Backus', 'Member', 'America/Los_Angeles'),
  person('U0DEMOANNI', 'Annie Easley', 'Member', 'America/Chicago'),
  person('U0DEMODENNIS', 'Dennis Ritchie', 'Requester', 'America/New_York'),
  person('U0DEMOHEDY', 'Hedy Lamarr', 'Newcomer', 'America/Los_Angeles'),
];

export const INVITEE_EMAIL = 'radia.perlman@example.com';

/** What each connected person holds, and when their access ends (days from the demo's start; negative = past). */
const GRANTS: ReadonlyArray<{
  id: string;
  permissions: string[];
  endsInDays?: number;
  tags?: string[];
  caller?: CallerSettings;
  purpose: string;
}> = [
  { id: 'U0DEMOGRACE', permissions: [PERMISSION.assignTraining, PERMISSION.eLearning], purpose: 'I run our staff training.' },
  {
    id: 'U0DEMOALAN',
    permissions: [PERMISSION.assignAuthorizedCallers, PERMISSION.viewSupport],
    purpose: 'I coordinate who may call support.',
  },
  {
    id: 'U0DEMOKATH',
    permissions: [PERMISSION.eLearning, PERMISSION.viewSupport],
    endsInDays: 7,
    tags: ['gis', 'contractor'],
    purpose: 'Summer contract with the GIS team.',
  },
  {
    id: 'U0DEMOEDS',
    permissions: [PERMISSION.downloadSoftware, PERMISSION.eLearning],
    endsInDays: -3,
    tags: ['contractor'],
    purpose: 'Consulting on the routing project.',
  },
  {
    id: 'U0DEMOBARB',
    permissions: [PERMISSION.esriAccess, PERMISSION.downloadSoftware, PERMISSION.manageLicensing],
    tags: ['licensing'],
    purpose: 'I manage our licenses.',
  },
  { id: 'U0DEMOKNUTH', permissions: [PERMISSION.eLearning], tags: ['cartography'], purpose: 'Courses for the new cartography staff.' },
  {
    id: 'U0DEMOMARG',
    permissions: [PERMISSION.authorizedCallerActions, PERMISSION.viewSupport],
    caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
    purpose: 'I open support cases for the city.',
  },
  {
    id: 'U0DEMOKEN',
    permissions: [PERMISSION.downloadSoftware, PERMISSION.esriAccess],
    tags: ['gis'],
    purpose: 'I install the desktop software.',
  },
  { id: 'U0DEMOFRAN', permissions: [PERMISSION.viewTransactions, PERMISSION.esriAccess], purpose: 'Finance: I reconcile our orders.' },
  { id: 'U0DEMOJOHN', permissions: [PERMISSION.eLearning], tags: ['planning'], purpose: 'Training for the planning department.' },
  {
    id: 'U0DEMOANNI',
    permissions: [PERMISSION.viewConferenceRegistrations, PERMISSION.esriAccess, PERMISSION.eLearning],
    tags: ['events'],
    purpose: 'I organize our User Conference trip.',
  },
];

export function demoPerson(id: string): SeededPerson | undefined {
  return DEMO_PEOPLE.find((candidate) => candidate.id === id);
}

/** The workspace as Slack knows it: people with profiles and time zones, and the channels with the bot in them. */
export function seedWorkspace(emulator: SlackEmulator): void {
  for (const seeded of DEMO_PEOPLE) {
    emulator.addUser({
      id: seeded.id,
      name: seeded.name,
      realName: seeded.realName,
      email: seeded.email,
      tz: seeded.tz,
      isAdmin: seeded.id === OPERATOR_ID,
    });
  }
  for (const channel of Object.values(DEMO_CHANNELS)) emulator.addChannel(channel.id, { name: channel.name.slice(1), botIsMember: true });
}

export interface SeedOptions {
  emulator: SlackEmulator;
  gatehouse: RunningGatehouse;
  settings: Settings;
  signingSecret: string;
  jobContext: () => JobContext;
  now: () => Date;
  /** Waits until the outbox has delivered what is due. */
  drainOutbox: () => Promise<void>;
}

function profileOf(id: string) {
  const seeded = demoPerson(id);
  if (!seeded) throw new Error(`${id} is not one of the demo's people`);
  return { slackUserId: seeded.id, slackTeamId: DEMO_TEAM.id, displayName: seeded.realName, email: seeded.email };
}

/** The story, through Gatehouse's services, on an empty database. */
export async function seedStory(options: SeedOptions): Promise<void> {
  const { gatehouse, settings, now } = options;
  const { prisma, sql } = gatehouse.database;
  const start = now();
  const organization = await createOrganization(prisma, {
    ...DEMO_ORGANIZATION,
    adminChannelId: DEMO_CHANNELS.admins.id,
    auditChannelId: DEMO_CHANNELS.audit.id,
  });
  const ada = profileOf('U0DEMOADA');
  await addAdministrator(prisma, {
    customerNumber: DEMO_ORGANIZATION.customerNumber,
    slackUserId: ada.slackUserId,
    displayName: ada.displayName,
    email: ada.email,
  });

  // Everyone else asked and Ada approved, ten days ago: so an end date 3 days back was a future date then.
  const asked = subDays(start, 10);
  for (const grant of GRANTS) {
    const submitted = await submitAccessRequest(
      prisma,
      {
        requester: profileOf(grant.id),
        organizationId: organization.id,
        unlisted: null,
        permissions: grant.permissions,
        purpose: grant.purpose,
        submissionKey: `demo-seed-${grant.id}`,
      },
      settings,
      asked,
    );
    await options.drainOutbox();
    const endsOn = grant.endsInDays === undefined ? null : calendarDateIn(addDays(start, grant.endsInDays), DEMO_ORGANIZATION.timeZone);
    const decided = await decideRequest(
      sql,
      {
        requestId: submitted.requestId,
        actor: ada,
        outcome: 'APPROVED',
        granted: grant.permissions,
        endsOn,
        tags: grant.tags ?? [],
        caller: grant.caller ?? null,
        note: null,
        notify: true,
      },
      settings,
      asked,
    );
    if (!decided.ok) throw new Error(`The demo's seed could not approve ${grant.id}'s access`);
  }
  await options.drainOutbox();

  // The time-limit job, as the schedule runs it: Edsger's end date has passed, so it expires his access.
  const timeLimits = jobNamed('time-limits');
  if (!timeLimits) throw new Error('The time-limits job is missing');
  await timeLimits.run(options.jobContext());

  // Radia is invited by Ada and has not answered yet.
  const draft = await checkAddresses(
    prisma,
    { actorSlackUserId: ada.slackUserId, organizationId: organization.id, text: INVITEE_EMAIL, draftId: null },
    start,
  );
  await chooseGrant(
    prisma,
    {
      actorSlackUserId: ada.slackUserId,
      draftId: draft.draftId,
      permissions: [PERMISSION.esriAccess, PERMISSION.eLearning],
      endsOn: null,
      caller: null,
    },
    start,
  );
  await sendInvitations(
    prisma,
    { actorSlackUserId: ada.slackUserId, draftId: draft.draftId },
    { sealingKey: invitationSealingKey(options.signingSecret) },
    start,
  );

  // Dennis asked yesterday; his request waits in #redlands-admins.
  await submitAccessRequest(
    prisma,
    {
      requester: profileOf('U0DEMODENNIS'),
      organizationId: organization.id,
      unlisted: null,
      permissions: [PERMISSION.downloadSoftware, PERMISSION.eLearning],
      purpose: 'I am porting our field tools to the new platform.',
      submissionKey: 'demo-seed-U0DEMODENNIS',
    },
    settings,
    subDays(start, 1),
  );
  await options.drainOutbox();
}
