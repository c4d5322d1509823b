/** Restoring expired access inside its 30 days: a new end date, or none. */
import type { ModalView } from '@slack/types';
import type { MemberRow } from '../../domain/member-management.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { context, mrkdwn, onDateTime, plain, section } from './format.js';
import { CALLBACK, INPUT_ACTION, MEMBER_RESTORE_BLOCK } from './ids.js';
import { memberHeading, memberShown } from './member-edit-form.js';
import { encodeMetadata, memberFormMetadata, type MemberFormMetadata } from './metadata.js';
import { modal, noteInput, organizationName } from './invite-form-parts.js';

export function memberRestoreView(organization: OrganizationSummary, row: MemberRow, metadata: MemberFormMetadata): ModalView {
  const until = row.restorableUntil ? `Restorable until ${onDateTime(row.restorableUntil)}.` : 'Restorable for 30 days after it ended.';
  return modal({
    callbackId: CALLBACK.memberRestore,
    title: 'Restore access',
    submit: 'Restore',
    close: 'Cancel',
    privateMetadata: encodeMetadata(memberFormMetadata, metadata),
    blocks: [
      ...memberHeading(organization, row),
      section(
        mrkdwn(
          `Restore the access of ${memberShown(row)} to *${organizationName(organization)}*? They get back the permissions ` +
            'they held when it expired. They and the Administrators are told.',
        ),
      ),
      context(mrkdwn(until)),
      {
        type: 'input',
        block_id: MEMBER_RESTORE_BLOCK.endsOn,
        optional: true,
        label: plain('New end date'),
        element: { type: 'datepicker', action_id: INPUT_ACTION, placeholder: plain('No end date') },
        hint: plain('Access lasts through the end of this day in the organization’s time zone; leave it empty for no end date.'),
      },
      noteInput(MEMBER_RESTORE_BLOCK.note, null, 'Kept in the permissions log and shown to the Administrators.'),
    ],
  });
}
