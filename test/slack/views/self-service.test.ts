import { describe, expect, it } from 'vitest';
import { CONTACT_MESSAGE_LIMIT, type MyOrganization } from '../../../src/domain/self-service.js';
import { checkMessage, checkView } from '../../../src/sandbox/index.js';
import {
  adminContactMessage,
  contactFormView,
  contactSentView,
  leaveConfirmView,
  leaveFormView,
  leftView,
  memberLeftMessage,
} from '../../../src/slack/views/self-service.js';
import { allText, CATALOG, EVIL, expectInert, organization, person } from './fixtures.js';

const AT = new Date('2031-03-02T18:00:00Z');

function mine(overrides: Partial<MyOrganization> = {}): MyOrganization {
  return {
    organization: organization(),
    status: 'ACTIVE',
    permissions: CATALOG,
    administrators: [person()],
    isAdministrator: false,
    ...overrides,
  };
}

describe('the self-service views', () => {
  const hostileOrganization = organization({ name: EVIL, acronym: EVIL });
  const hostilePerson = person({ slackUserId: 'x', displayName: EVIL });

  it('offer at most a static select of organizations, and stay inside the limits', () => {
    const many = Array.from({ length: 150 }, (_, index) => mine({ organization: organization({ id: index + 1, name: 'N'.repeat(200) }) }));
    for (const view of [leaveFormView(many), contactFormView(many, many, { operators: [person()] })]) {
      expect(checkView(view, 'modal')).toEqual([]);
    }
    const admins = Array.from({ length: 40 }, (_, index) => person({ slackUserId: `U0A${index}`, displayName: 'A'.repeat(300) }));
    const confirm = leaveConfirmView({ organization: organization(), permissions: CATALOG, administrators: admins });
    expect(checkView(confirm, 'modal')).toEqual([]);
    expect(allText(confirm)).toContain('and 30 more');
  });

  it('keep user text inert: organization names, people and messages', () => {
    const views = [
      leaveFormView([mine({ organization: hostileOrganization })]),
      leaveConfirmView({ organization: hostileOrganization, permissions: CATALOG, administrators: [hostilePerson] }),
      leftView(hostileOrganization, 2),
      contactFormView([mine({ organization: hostileOrganization })], [mine({ organization: hostileOrganization })], {
        operators: [hostilePerson],
      }),
      contactSentView(hostileOrganization, 1),
    ];
    for (const view of views) {
      expect(checkView(view, 'modal')).toEqual([]);
      expectInert(view);
    }
    const messages = [
      memberLeftMessage({
        logEntryId: 1,
        organization: hostileOrganization,
        member: hostilePerson,
        permissions: CATALOG,
        note: EVIL,
        at: AT,
      }),
      adminContactMessage({
        organization: hostileOrganization,
        from: hostilePerson,
        message: EVIL.repeat(30).slice(0, CONTACT_MESSAGE_LIMIT),
        at: AT,
      }),
    ];
    for (const message of messages) {
      expect(checkMessage(message)).toEqual([]);
      expectInert(message);
    }
  });
});
