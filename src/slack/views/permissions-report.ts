/**
 * `/access report`: who holds each permission in one organization. A members × permissions grid
 * is far wider than a modal, so Slack shows each permission's count (a button opening
 * `/access users` on those holders) and the first holders by name; the full report and grid go
 * out as CSV files.
 */
import type { KnownBlock, ModalView, StaticSelect } from '@slack/types';
import type { PermissionHolders, PermissionsReportModel } from '../../domain/permissions-report.js';
import {
  actions,
  button,
  context,
  DIVIDER,
  header,
  LIMIT,
  mrkdwn,
  oneLine,
  organizationLabel,
  organizationOption,
  plain,
  section,
} from './format.js';
import { ACTION, CALLBACK } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { count } from './users-list.js';

/** The block ids of the report's controls. */
export const REPORT_BLOCK = {
  organization: 'report_organization',
  exports: 'report_exports',
} as const;

/** Each permission's section is `report_permission:<key>`. */
export const REPORT_PERMISSION_BLOCK_PREFIX = 'report_permission:';

/** A name in the list of first holders: short enough that five stay far inside a section. */
const NAME_SHOWN = 60;

/** The value of a holder count's button: the organization and the permission. */
export function holdersValue(organizationId: number, permissionKey: string): string {
  return `${organizationId}:${permissionKey}`;
}

function holdersText(holders: PermissionHolders): string {
  const name = `*${escapeMrkdwn(holders.permission.name)}*`;
  if (holders.count === 0) return `${name}\nNobody holds it.`;
  const names = holders.first.map((person) => escapeMrkdwn(truncate(oneLine(person.displayName) || person.slackUserId, NAME_SHOWN)));
  const more = holders.count - holders.first.length;
  const listed = more > 0 ? `${names.join(', ')} and ${count(more)} more` : names.join(', ');
  return `${name}\n${count(holders.count)} ${holders.count === 1 ? 'holds' : 'hold'} it: ${listed}`;
}

function permissionBlock(model: PermissionsReportModel, holders: PermissionHolders): KnownBlock {
  const accessory =
    holders.count > 0
      ? {
          accessory: button({
            text: `${count(holders.count)} ${holders.count === 1 ? 'holder' : 'holders'}`,
            actionId: ACTION.reportHolders,
            value: holdersValue(model.organization.id, holders.permission.key),
          }),
        }
      : {};
  return section(mrkdwn(holdersText(holders)), { block_id: `${REPORT_PERMISSION_BLOCK_PREFIX}${holders.permission.key}`, ...accessory });
}

function pickerBlock(model: PermissionsReportModel): KnownBlock[] {
  if (model.organizations.length < 2) return [];
  const options = model.organizations.slice(0, LIMIT.staticSelectOptions).map((organization) => organizationOption(organization));
  const current = options.find((candidate) => candidate.value === String(model.organization.id));
  const picker: StaticSelect = {
    type: 'static_select',
    action_id: ACTION.reportPickOrganization,
    placeholder: plain('Organization', LIMIT.placeholder),
    options,
    ...(current ? { initial_option: current } : {}),
  };
  return [actions(REPORT_BLOCK.organization, [picker])];
}

function membersText(model: PermissionsReportModel): string {
  const { total, active, expired, disabled } = model.members;
  const organization = `*${escapeMrkdwn(organizationLabel(model.organization))}*`;
  if (total === 0) return `${organization} has no members yet.`;
  const standing = `${count(active)} active, ${count(expired)} expired, ${count(disabled)} disabled`;
  return `${organization}: ${count(total)} ${total === 1 ? 'member' : 'members'} — ${standing}.`;
}

export function permissionsReportBlocks(model: PermissionsReportModel): KnownBlock[] {
  const value = String(model.organization.id);
  return [
    header('Who holds each permission'),
    ...pickerBlock(model),
    section(mrkdwn(membersText(model))),
    DIVIDER,
    ...model.holders.map((holders) => permissionBlock(model, holders)),
    DIVIDER,
    context(
      mrkdwn(
        'Counts are of people whose access is active now; press one to see them in `/access users`. ' +
          'The grid of every member and permission is too wide for Slack: export it as CSV, into your DM.',
      ),
    ),
    actions(REPORT_BLOCK.exports, [
      button({ text: 'Export report CSV', actionId: ACTION.reportExport, value }),
      button({ text: 'Export grid CSV', actionId: ACTION.gridExport, value }),
    ]),
  ];
}

export function permissionsReportModal(model: PermissionsReportModel): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.permissionsReport,
    title: plain('Permissions report', 24),
    close: plain('Close', 24),
    blocks: permissionsReportBlocks(model),
  };
}
