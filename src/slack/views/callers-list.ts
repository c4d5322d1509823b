/** `/access callers`: the authorized callers of one organization, with Add, and Edit or Remove on each. */
import type { KnownBlock, ModalView, Overflow, PlainTextOption, StaticSelect } from '@slack/types';
import type { CallerListModel, CallerRow, MemberMark } from '../../domain/member-management.js';
import { actions, button, context, DIVIDER, endDate, mention, mrkdwn, organizationOption, plain, section } from './format.js';
import { ACTION, CALLBACK } from './ids.js';
import { callerDescription, modal, organizationName, plural, shownEntry } from './invite-form-parts.js';
import { callerFormMetadata, encodeMetadata, type CallerFormMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** Rows shown at most: with the heading, picker and Add button, well inside 100 blocks per view. */
export const CALLERS_SHOWN = 80;

export type CallerRowVerb = 'edit' | 'remove';

const ROW_VALUE = /^(edit|remove):(\d{1,12})$/;

/** An overflow option's value: the verb and the caller's connection id. */
export function callerRowValue(verb: CallerRowVerb, connectionId: number): string {
  return `${verb}:${connectionId}`;
}

/** The verb and connection id of an overflow choice, or null for anything Gatehouse did not write. */
export function parseCallerRowValue(value: string): { verb: CallerRowVerb; connectionId: number } | null {
  const match = ROW_VALUE.exec(value);
  if (!match) return null;
  const connectionId = Number(match[2]);
  return connectionId > 0 ? { verb: match[1] as CallerRowVerb, connectionId } : null;
}

const MARK_LABEL: Record<MemberMark, string> = {
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  DISABLED: 'Disabled',
  PENDING_INVITATION: 'Pending invitation',
};

function rowBlock(row: CallerRow): KnownBlock {
  // The name beside the mention, as in /access users: a mention alone may not resolve for everyone.
  const who = row.person ? `${mention(row.person)} *${shownEntry(row.person.displayName)}*` : row.email ? shownEntry(row.email) : 'someone';
  const email = row.person && row.email ? `  ·  ${shownEntry(row.email)}` : '';
  const ends = endDate(null, row.endsOn);
  const details = [
    MARK_LABEL[row.mark],
    row.caller ? escapeMrkdwn(callerDescription(row.caller)) : 'no support level set',
    ends ? `ends ${ends}` : null,
  ].filter((part): part is string => part !== null);
  const text = mrkdwn(`${who}${email}\n${details.join('  ·  ')}`);
  if (row.key.kind !== 'member') return section(text);
  const options: PlainTextOption[] = [
    { text: plain('Edit caller settings'), value: callerRowValue('edit', row.key.connectionId) },
    { text: plain('Remove caller'), value: callerRowValue('remove', row.key.connectionId) },
  ];
  const overflow: Overflow = { type: 'overflow', action_id: ACTION.callersManageRow, options };
  return section(text, { accessory: overflow });
}

function picker(model: CallerListModel): KnownBlock[] {
  if (model.organizations.length <= 1) return [];
  const options = model.organizations.slice(0, 100).map((organization) => organizationOption(organization));
  const initial = options.find((option) => option.value === String(model.organization.id));
  const select: StaticSelect = {
    type: 'static_select',
    action_id: ACTION.callersPickOrganization,
    placeholder: plain('Choose an organization'),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
  return [actions('callers_organization', [select])];
}

export function callersListView(model: CallerListModel, metadata: CallerFormMetadata): ModalView {
  const shown = model.callers.slice(0, CALLERS_SHOWN);
  const rest = model.callers.length - shown.length;
  const blocks: KnownBlock[] = [
    ...picker(model),
    section(
      mrkdwn(
        `*${organizationName(model.organization)}* has ${plural(model.callers.length, 'authorized caller', 'authorized callers')}. ` +
          'A caller holds both support permissions and may call technical support for it.',
      ),
    ),
    ...(model.canAdd
      ? [actions('callers_add', [button({ text: 'Add a caller', actionId: ACTION.callersAdd, value: 'add', style: 'primary' })])]
      : []),
    DIVIDER,
    ...(shown.length > 0 ? shown.map(rowBlock) : [context(plain('No authorized callers yet.'))]),
    ...(rest > 0 ? [context(plain(`…and ${rest} more, not shown. Find them in /access users by permission.`))] : []),
  ];
  return modal({
    callbackId: CALLBACK.callersList,
    title: 'Authorized callers',
    close: 'Close',
    privateMetadata: encodeMetadata(callerFormMetadata, metadata),
    blocks,
  });
}
