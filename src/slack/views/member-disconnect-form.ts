/** The confirmation of disconnecting a member: every permission goes; their record and history stay. */
import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { MemberRow } from '../../domain/member-management.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { mrkdwn, plain, section } from './format.js';
import { CALLBACK, INPUT_ACTION, MEMBER_DISCONNECT_BLOCK } from './ids.js';
import { memberHeading, memberShown, memberWords, NOTIFY_VALUE } from './member-edit-form.js';
import { encodeMetadata, memberFormMetadata, type MemberFormMetadata } from './metadata.js';
import { modal, noteInput, organizationName } from './invite-form-parts.js';

function notifyInput(row: MemberRow): InputBlock {
  const option: PlainTextOption = { text: plain(`Send ${memberWords(row)} a message about this`, 75), value: NOTIFY_VALUE };
  return {
    type: 'input',
    block_id: MEMBER_DISCONNECT_BLOCK.notify,
    optional: true,
    label: plain('Tell the member'),
    element: { type: 'checkboxes', action_id: INPUT_ACTION, options: [option] },
    hint: plain('The organization’s Administrators are always told.'),
  };
}

export function memberDisconnectView(organization: OrganizationSummary, row: MemberRow, metadata: MemberFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.memberDisconnect,
    title: 'Disconnect member',
    submit: 'Disconnect',
    close: 'Cancel',
    privateMetadata: encodeMetadata(memberFormMetadata, metadata),
    blocks: [
      ...memberHeading(organization, row),
      section(
        mrkdwn(
          `:warning: *Disconnect ${memberShown(row)} from ${organizationName(organization)}?* Every permission they hold there is ` +
            'removed; their record and history stay.',
        ),
      ),
      noteInput(
        MEMBER_DISCONNECT_BLOCK.note,
        null,
        'Kept in the permissions log and shown to the Administrators; the member does not see it.',
      ),
      notifyInput(row),
    ],
  });
}
