import type { GatehouseContext } from '../context.js';
import type { ListenerRouter } from '../listener-router.js';
import { INVITATION_EDIT_PERMISSION_TOGGLE, INVITE_GRANT_PERMISSION_TOGGLE } from '../routes.js';
import { ACTION, CALLBACK } from '../views/ids.js';
import { invitationManagementListeners } from './invitation-management.js';
import { inviteAddressesFields, inviteAddressesListeners } from './invite-addresses.js';
import {
  INVITATION_EDIT_FIELDS,
  INVITATION_RESEND_FIELDS,
  INVITATION_REVOKE_FIELDS,
  INVITE_GRANT_FIELDS,
  INVITE_SENDING_FIELDS,
} from './invite-form-input.js';
import { inviteGrantListeners } from './invite-grant.js';
import { inviteSendingListeners } from './invite-sending.js';

/** The `/access invite` modal's three steps, and managing pending invitations: one handler per action. */
export function registerInviteFlow(router: ListenerRouter, context: GatehouseContext): void {
  const addresses = inviteAddressesListeners(context);
  router.view(CALLBACK.inviteAddresses, addresses.addressesSubmitted, inviteAddressesFields);
  router.action(ACTION.inviteRemoveInvalid, addresses.invalidEntryRemoved);
  router.action(ACTION.inviteRemoveAllInvalid, addresses.allInvalidEntriesRemoved);
  router.viewClosed(CALLBACK.inviteAddresses, addresses.inviteClosed);

  const grant = inviteGrantListeners(context);
  router.view(CALLBACK.inviteGrant, grant.grantSubmitted, INVITE_GRANT_FIELDS);
  router.action(INVITE_GRANT_PERMISSION_TOGGLE, grant.grantPermissionToggled);
  router.viewClosed(CALLBACK.inviteGrant, grant.grantClosed);

  const sending = inviteSendingListeners(context);
  router.action(ACTION.invitePreview, sending.previewRequested);
  router.view(CALLBACK.inviteSending, sending.sendingSubmitted, INVITE_SENDING_FIELDS);
  router.viewClosed(CALLBACK.inviteSending, sending.sendingClosed);

  const management = invitationManagementListeners(context);
  router.action(INVITATION_EDIT_PERMISSION_TOGGLE, management.editPermissionToggled);
  router.view(CALLBACK.invitationEdit, management.editSubmitted, INVITATION_EDIT_FIELDS);
  router.view(CALLBACK.invitationResend, management.resendSubmitted, INVITATION_RESEND_FIELDS);
  router.view(CALLBACK.invitationRevoke, management.revokeSubmitted, INVITATION_REVOKE_FIELDS);
}
