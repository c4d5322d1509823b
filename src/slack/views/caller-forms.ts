/** The forms of `/access callers`: add one caller (by invitation or by promoting a member), edit one, remove one. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { CallerRow } from '../../domain/member-management.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { context, mention, mrkdwn, plain, section } from './format.js';
import { CALLBACK, CALLER_FORM_BLOCK, INPUT_ACTION } from './ids.js';
import { callerDescription, callerInputs, modal, noteInput, organizationName, shownEntry, textInput } from './invite-form-parts.js';
import { callerFormMetadata, encodeMetadata, type CallerFormMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The longest address Gatehouse accepts (RFC 5321's path limit). */
const ADDRESS_LIMIT = 254;

const NOTE_HINT = 'Kept in the permissions log and shown to the Administrators.';

/** The support and caller level inputs without the invitation's explanation, for a caller who exists. */
function callerLevelInputs(caller: CallerRow['caller']): KnownBlock[] {
  return callerInputs(CALLER_FORM_BLOCK, caller).filter((block) => block.type === 'input');
}

function callerShown(row: CallerRow): string {
  const who = row.person ? mention(row.person) : row.email ? shownEntry(row.email) : 'this caller';
  const settings = row.caller ? escapeMrkdwn(callerDescription(row.caller)) : 'no support level set';
  return `${who}  ·  ${settings}`;
}

export function callerAddView(organization: OrganizationSummary, metadata: CallerFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.callerAdd,
    title: 'Add a caller',
    submit: 'Add',
    close: 'Cancel',
    privateMetadata: encodeMetadata(callerFormMetadata, metadata),
    blocks: [
      section(
        mrkdwn(
          `Add an authorized caller to *${organizationName(organization)}*: they get both support permissions. ` +
            'Give *either* an email address (one person, invited) *or* a member already in Slack (promoted at once).',
        ),
      ),
      textInput({
        blockId: CALLER_FORM_BLOCK.address,
        label: 'Invite by email address',
        maxLength: ADDRESS_LIMIT,
        placeholder: 'name@example.com',
        hint: 'One person per invitation: they become a caller when they accept.',
      }),
      {
        type: 'input',
        block_id: CALLER_FORM_BLOCK.member,
        optional: true,
        label: plain('Or promote a member'),
        element: { type: 'users_select', action_id: INPUT_ACTION, placeholder: plain('Choose someone') },
        hint: plain('Someone already connected to the organization.'),
      },
      ...callerInputs(CALLER_FORM_BLOCK, null),
      noteInput(CALLER_FORM_BLOCK.note, null, NOTE_HINT),
    ],
  });
}

export function callerEditView(organization: OrganizationSummary, row: CallerRow, metadata: CallerFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.callerEdit,
    title: 'Edit caller',
    submit: 'Save',
    close: 'Cancel',
    privateMetadata: encodeMetadata(callerFormMetadata, metadata),
    blocks: [
      section(mrkdwn(`${callerShown(row)}\nin *${organizationName(organization)}*`)),
      ...callerLevelInputs(row.caller),
      noteInput(CALLER_FORM_BLOCK.note, null, NOTE_HINT),
    ],
  });
}

export function callerRemoveView(organization: OrganizationSummary, row: CallerRow, metadata: CallerFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.callerRemove,
    title: 'Remove caller',
    submit: 'Remove',
    close: 'Cancel',
    privateMetadata: encodeMetadata(callerFormMetadata, metadata),
    blocks: [
      section(mrkdwn(`${callerShown(row)}\nin *${organizationName(organization)}*`)),
      section(
        mrkdwn(
          ':warning: *Remove this authorized caller?* Both support permissions (View technical support information and ' +
            'Take authorized caller actions) are taken away, with their caller settings. Everything else they hold stays.',
        ),
      ),
      context(mrkdwn('The organization’s Administrators are told.')),
      noteInput(CALLER_FORM_BLOCK.note, null, NOTE_HINT),
    ],
  });
}
