import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { registerListeners } from '../../src/slack/app.js';
import { SUBCOMMANDS } from '../../src/slack/commands.js';
import type { GatehouseContext } from '../../src/slack/context.js';
import { ListenerRouter, type RoutedPayload } from '../../src/slack/listener-router.js';
import { subcommandHandler, subcommandHandlers } from '../../src/slack/listeners/access-command.js';
import {
  APPROVE_PERMISSION_TOGGLE,
  INVITATION_EDIT_PERMISSION_TOGGLE,
  INVITE_GRANT_PERMISSION_TOGGLE,
  MEMBER_EDIT_PERMISSION_TOGGLE,
} from '../../src/slack/routes.js';
import {
  ACTION,
  APPROVE_FORM_BLOCK,
  CALLBACK,
  CALLER_FORM_BLOCK,
  DENY_FORM_BLOCK,
  EXTEND_FORM_BLOCK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_ADDRESSES_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
  MEMBER_DISCONNECT_BLOCK,
  MEMBER_EDIT_BLOCK,
  MEMBER_RESTORE_BLOCK,
  REQUEST_FORM_BLOCK,
  SELF_SERVICE_BLOCK,
} from '../../src/slack/views/ids.js';
import { addressesBlockId } from '../../src/slack/views/invite-addresses-form.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let router: ListenerRouter;
let context: GatehouseContext;

beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  context = {
    prisma: db.database.prisma,
    sql: db.database.sql,
    settings: { operatorUserIds: [] },
    invitations: { sealingKey: Buffer.alloc(32, 7) },
    logger: createLogger('silent'),
    now: () => new Date('2026-03-02T12:00:00Z'),
    wakeOutbox: () => undefined,
  };
  router = new ListenerRouter();
  registerListeners(router, context);
});

afterAll(async () => {
  await db.drop();
});

/** The one handler a payload reaches, by name; fails when none or several claim it. */
function handlerFor(payload: RoutedPayload): string {
  const routes = router.routesFor(payload);
  expect(routes, JSON.stringify(payload)).toHaveLength(1);
  return routes[0]!.handler;
}

/** Every block id Gatehouse's forms use, including each revision of the addresses box. */
const EVERY_BLOCK_ID = [
  ...[
    REQUEST_FORM_BLOCK,
    APPROVE_FORM_BLOCK,
    DENY_FORM_BLOCK,
    EXTEND_FORM_BLOCK,
    INVITE_ADDRESSES_BLOCK,
    INVITE_GRANT_BLOCK,
    INVITE_SENDING_BLOCK,
  ].flatMap(Object.values),
  ...[INVITATION_EDIT_BLOCK, INVITATION_RESEND_BLOCK, INVITATION_REVOKE_BLOCK].flatMap(Object.values),
  ...[MEMBER_EDIT_BLOCK, MEMBER_DISCONNECT_BLOCK, MEMBER_RESTORE_BLOCK, CALLER_FORM_BLOCK].flatMap(Object.values),
  ...Object.values(SELF_SERVICE_BLOCK),
  addressesBlockId(0),
  addressesBlockId(7),
  'triage_12',
];

describe('the listener router', () => {
  it('sends each step of `/access invite` to its own handler', () => {
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.inviteAddresses })).toBe('addressesSubmitted');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.inviteRemoveInvalid, block_id: 'x' })).toBe('invalidEntryRemoved');
    expect(
      handlerFor({ type: 'block_actions', action_id: ACTION.inviteRemoveAllInvalid, block_id: INVITE_ADDRESSES_BLOCK.removeAllInvalid }),
    ).toBe('allInvalidEntriesRemoved');
    expect(handlerFor({ type: 'view_closed', callback_id: CALLBACK.inviteAddresses })).toBe('inviteClosed');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.inviteGrant })).toBe('grantSubmitted');
    expect(handlerFor({ type: 'view_closed', callback_id: CALLBACK.inviteGrant })).toBe('grantClosed');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.invitePreview, block_id: INVITE_SENDING_BLOCK.preview })).toBe(
      'previewRequested',
    );
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.inviteSending })).toBe('sendingSubmitted');
    expect(handlerFor({ type: 'view_closed', callback_id: CALLBACK.inviteSending })).toBe('sendingClosed');
  });

  it('sends each way of managing a pending invitation to its own handler', () => {
    // The row menu of the members list opens the Edit, Resend and Revoke forms.
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.usersManageRow })).toBe('rowChosen');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.invitationEdit })).toBe('editSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.invitationResend })).toBe('resendSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.invitationRevoke })).toBe('revokeSubmitted');
  });

  it('sends each control of the members list, the selection forms and App Home sections to its own handler', () => {
    const byAction: Array<[string, string]> = [
      [ACTION.usersPickOrganization, 'organizationPicked'],
      [ACTION.usersSearch, 'searched'],
      [ACTION.usersFilterTag, 'tagFiltered'],
      [ACTION.usersFilterStatus, 'statusFiltered'],
      [ACTION.usersFilterPermission, 'permissionFiltered'],
      [ACTION.usersFilterEndsWithin, 'endsWithinFiltered'],
      [ACTION.usersSort, 'sorted'],
      [ACTION.usersPreviousPage, 'previousPage'],
      [ACTION.usersNextPage, 'nextPage'],
      [ACTION.usersManageRow, 'rowChosen'],
      [ACTION.usersSelectPage, 'pageSelected'],
      [ACTION.usersClearSelection, 'selectionCleared'],
      [ACTION.usersReviewSelection, 'reviewRequested'],
      [ACTION.bulkUnselect, 'peopleUnselected'],
      [ACTION.homeShowAccess, 'accessShown'],
      [ACTION.homeShowMembers, 'membersShown'],
    ];
    for (const [actionId, handler] of byAction) expect(handlerFor({ type: 'block_actions', action_id: actionId }), actionId).toBe(handler);
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.usersList })).toBe('searchSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.bulkReview })).toBe('reviewSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.bulkConfirm })).toBe('confirmSubmitted');
  });

  it('sends each member form and each part of `/access callers` to its own handler', () => {
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.memberEditPreview, block_id: MEMBER_EDIT_BLOCK.preview })).toBe(
      'previewRequested',
    );
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.memberEdit })).toBe('editSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.memberDisconnect })).toBe('disconnectSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.memberRestore })).toBe('restoreSubmitted');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.callersPickOrganization })).toBe('organizationPicked');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.callersAdd })).toBe('addRequested');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.callersManageRow })).toBe('rowChosen');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.callerAdd })).toBe('addSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.callerEdit })).toBe('editSubmitted');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.callerRemove })).toBe('removeSubmitted');
  });

  it('sends each self-service form and the details of my access to their own handlers', () => {
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.selfLeave })).toBe('leaveChosen');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.selfLeaveConfirm })).toBe('leaveConfirmed');
    expect(handlerFor({ type: 'view_submission', callback_id: CALLBACK.selfContact })).toBe('contactSubmitted');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.myAccessExpand })).toBe('detailsOpened');
    expect(handlerFor({ type: 'block_actions', action_id: ACTION.myAccessCollapse })).toBe('detailsClosed');
  });

  it('sends each control of `/access log` to its own handler', () => {
    for (const [actionId, handler] of [
      [ACTION.logPickOrganization, 'organizationPicked'],
      [ACTION.logFilterMember, 'memberFiltered'],
      [ACTION.logFilterActor, 'actorFiltered'],
      [ACTION.logFilterAction, 'actionFiltered'],
      [ACTION.logFilterPermission, 'permissionFiltered'],
      [ACTION.logFilterFrom, 'fromFiltered'],
      [ACTION.logFilterTo, 'toFiltered'],
      [ACTION.logClearFilters, 'filtersCleared'],
      [ACTION.logPreviousPage, 'previousPage'],
      [ACTION.logNextPage, 'nextPage'],
      [ACTION.logDetails, 'detailsToggled'],
    ] as const) {
      expect(handlerFor({ type: 'block_actions', action_id: actionId }), actionId).toBe(handler);
    }
  });

  it('sends each control of `/access report` and each export button to its own handler', () => {
    for (const [actionId, handler] of [
      [ACTION.reportPickOrganization, 'organizationPicked'],
      [ACTION.reportHolders, 'holdersChosen'],
      [ACTION.reportExport, 'reportExportRequested'],
      [ACTION.gridExport, 'gridExportRequested'],
      [ACTION.logExport, 'logExportRequested'],
    ] as const) {
      expect(handlerFor({ type: 'block_actions', action_id: actionId }), actionId).toBe(handler);
    }
  });

  it('sends a ticked permission to the handler of the form it is in, and nothing else an input does anywhere', () => {
    for (const blockId of [INVITE_GRANT_BLOCK.adminPermissions, INVITE_GRANT_BLOCK.accessPermissions]) {
      expect(handlerFor({ type: 'block_actions', action_id: INPUT_ACTION, block_id: blockId })).toBe('grantPermissionToggled');
    }
    for (const blockId of [INVITATION_EDIT_BLOCK.adminPermissions, INVITATION_EDIT_BLOCK.accessPermissions]) {
      expect(handlerFor({ type: 'block_actions', action_id: INPUT_ACTION, block_id: blockId })).toBe('editPermissionToggled');
    }
    for (const blockId of [APPROVE_FORM_BLOCK.adminPermissions, APPROVE_FORM_BLOCK.accessPermissions]) {
      expect(handlerFor({ type: 'block_actions', action_id: INPUT_ACTION, block_id: blockId })).toBe('approvePermissionToggled');
    }
    for (const blockId of [MEMBER_EDIT_BLOCK.adminPermissions, MEMBER_EDIT_BLOCK.accessPermissions]) {
      expect(handlerFor({ type: 'block_actions', action_id: INPUT_ACTION, block_id: blockId })).toBe('memberPermissionToggled');
    }
    const toggles = new Set<string>(
      [
        ...Object.values(INVITE_GRANT_BLOCK),
        ...Object.values(INVITATION_EDIT_BLOCK),
        ...Object.values(APPROVE_FORM_BLOCK),
        ...Object.values(MEMBER_EDIT_BLOCK),
      ].filter((id) => id.endsWith('_admin') || id.endsWith('_access')),
    );
    expect(toggles.size).toBe(8);
    for (const blockId of EVERY_BLOCK_ID.filter((id) => !toggles.has(id))) {
      expect(router.routesFor({ type: 'block_actions', action_id: INPUT_ACTION, block_id: blockId }), blockId).toEqual([]);
    }
  });

  it('has patterns that claim only whole block ids, so no two forms share one', () => {
    for (const toggle of [
      INVITE_GRANT_PERMISSION_TOGGLE,
      INVITATION_EDIT_PERMISSION_TOGGLE,
      APPROVE_PERMISSION_TOGGLE,
      MEMBER_EDIT_PERMISSION_TOGGLE,
    ]) {
      for (const blockId of EVERY_BLOCK_ID) {
        for (const variant of [`${blockId}_1`, `x${blockId}`, `${blockId}\n`]) expect(toggle.block_id.test(variant), variant).toBe(false);
      }
    }
    const toggles = [
      INVITE_GRANT_PERMISSION_TOGGLE,
      INVITATION_EDIT_PERMISSION_TOGGLE,
      APPROVE_PERMISSION_TOGGLE,
      MEMBER_EDIT_PERMISSION_TOGGLE,
    ];
    const claimedByBoth = EVERY_BLOCK_ID.filter((id) => toggles.filter((toggle) => toggle.block_id.test(id)).length > 1);
    expect(claimedByBoth).toEqual([]);
  });

  it('gives every action and form Gatehouse sends exactly one handler', () => {
    for (const actionId of Object.values(ACTION)) {
      for (const blockId of [undefined, ...EVERY_BLOCK_ID]) {
        expect(
          router.routesFor({ type: 'block_actions', action_id: actionId, block_id: blockId }),
          `${actionId} in ${blockId}`,
        ).toHaveLength(1);
      }
    }
    // The callers list, the permissions report and the permissions log have a Close button only: nothing submits them.
    const unsubmitted: string[] = [CALLBACK.callersList, CALLBACK.permissionsReport, CALLBACK.permissionsLog];
    for (const callbackId of Object.values(CALLBACK).filter((id) => !unsubmitted.includes(id))) {
      handlerFor({ type: 'view_submission', callback_id: callbackId });
    }
    const closable: string[] = [CALLBACK.inviteAddresses, CALLBACK.inviteGrant, CALLBACK.inviteSending];
    for (const callbackId of Object.values(CALLBACK)) {
      expect(router.routesFor({ type: 'view_closed', callback_id: callbackId }), callbackId).toHaveLength(
        closable.includes(callbackId) ? 1 : 0,
      );
    }
    for (const actionId of [ACTION.pickOrganization, ACTION.triageRoute])
      expect(router.routesFor({ type: 'block_suggestion', action_id: actionId })).toHaveLength(1);
  });

  it('sends an id it does not know nowhere', () => {
    for (const id of ['', 'unknown', 'invite_addresses_1', `${ACTION.approve}x`, 'constructor', '__proto__', INPUT_ACTION]) {
      expect(router.routesFor({ type: 'block_actions', action_id: id, block_id: 'no_such_block' }), id).toEqual([]);
      expect(router.routesFor({ type: 'view_submission', callback_id: id }), id).toEqual([]);
      expect(router.routesFor({ type: 'view_closed', callback_id: id }), id).toEqual([]);
      expect(router.routesFor({ type: 'block_suggestion', action_id: id }), id).toEqual([]);
    }
  });

  it('refuses a second handler for the same id', () => {
    expect(() => router.view(CALLBACK.inviteGrant, async () => {})).toThrow(/Two listeners for view:invite_grant/);
    expect(() => router.action(ACTION.approve, async () => {})).toThrow(/Two listeners/);
    expect(() => router.action(INVITE_GRANT_PERMISSION_TOGGLE, async () => {})).toThrow(/Two listeners/);
  });
});

describe('the /access subcommands', () => {
  it('sends each subcommand `/access help` lists to its own handler, and nothing else anywhere', () => {
    const handlers = subcommandHandlers(context);
    expect(Object.keys(handlers).sort()).toEqual(SUBCOMMANDS.map(({ name }) => name).sort());
    for (const { name } of SUBCOMMANDS) expect(subcommandHandler(handlers, name)?.name).toBe(name);
    for (const name of ['', 'delete', 'invites', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(subcommandHandler(handlers, name)).toBeUndefined();
  });
});
