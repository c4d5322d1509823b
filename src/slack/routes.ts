import { APPROVE_FORM_BLOCK, INPUT_ACTION, INVITATION_EDIT_BLOCK, INVITE_GRANT_BLOCK, MEMBER_EDIT_BLOCK } from './views/ids.js';

/**
 * Routes that match on more than one id. Every input element shares INPUT_ACTION, so the block
 * id is what singles out a form's permission groups, which dispatch a block action when ticked;
 * each form has its own route, so no handler has to ask which form it is serving.
 */
function permissionToggle(blocks: { adminPermissions: string; accessPermissions: string }) {
  return { action_id: INPUT_ACTION, block_id: new RegExp(`^(${blocks.adminPermissions}|${blocks.accessPermissions})$`) } as const;
}

/** A permission ticked in step 2 of `/access invite`. */
export const INVITE_GRANT_PERMISSION_TOGGLE = permissionToggle(INVITE_GRANT_BLOCK);

/** A permission ticked in the Edit form of a pending invitation. */
export const INVITATION_EDIT_PERMISSION_TOGGLE = permissionToggle(INVITATION_EDIT_BLOCK);

/** A permission ticked in the Approve form of a request. */
export const APPROVE_PERMISSION_TOGGLE = permissionToggle(APPROVE_FORM_BLOCK);
/** A permission ticked in the Edit form of a member. */
export const MEMBER_EDIT_PERMISSION_TOGGLE = permissionToggle(MEMBER_EDIT_BLOCK);
