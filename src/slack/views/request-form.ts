/**
 * The `/access request` modal. Choosing an organization or ticking "not listed" dispatches an
 * action, and the listener redraws the form from a fresh RequestFormModel, so this builder only
 * ever draws one consistent state.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextInput, PlainTextOption } from '@slack/types';
import type { OrganizationSummary, PermissionInfo, RequestFormModel } from '../../domain/read-models.js';
import {
  context,
  header,
  LIMIT,
  mrkdwn,
  organizationLabel,
  organizationOption,
  permissionGroup,
  permissionNames,
  plain,
  section,
  splitPermissions,
} from './format.js';
import { TEXT_LIMIT } from '../../domain/text-limits.js';
import { ACTION, CALLBACK, INPUT_ACTION, REQUEST_FORM_BLOCK } from './ids.js';
import { encodeMetadata, requestFormMetadata, type RequestFormMetadata } from './metadata.js';

const UNLISTED_VALUE = 'unlisted';

function organizationPicker(model: RequestFormModel): InputBlock {
  const options = model.organizationOptions;
  const selected = model.selectedOrganization;
  const placeholder = plain('Choose your organization', LIMIT.placeholder);
  const listed = options !== null && options.length > 0 && options.length <= LIMIT.staticSelectOptions;
  let element: InputBlock['element'];
  if (listed) {
    const choices = options.map((organization) => organizationOption(organization));
    // Slack rejects an initial_option that is not exactly one of the options.
    const initial = selected ? choices.find((choice) => choice.value === String(selected.id)) : undefined;
    element = {
      type: 'static_select',
      action_id: ACTION.pickOrganization,
      placeholder,
      options: choices,
      ...(initial ? { initial_option: initial } : {}),
    };
  } else {
    element = {
      type: 'external_select',
      action_id: ACTION.pickOrganization,
      placeholder: plain('Type a name, acronym or customer number', LIMIT.placeholder),
      min_query_length: 1,
      ...(selected ? { initial_option: organizationOption(selected) } : {}),
    };
  }
  return {
    type: 'input',
    block_id: REQUEST_FORM_BLOCK.organization,
    dispatch_action: true,
    optional: model.unlisted,
    label: plain('Organization'),
    element,
  };
}

function unlistedToggle(unlisted: boolean): InputBlock {
  const option: PlainTextOption = { text: plain('My organization is not listed'), value: UNLISTED_VALUE };
  return {
    type: 'input',
    block_id: REQUEST_FORM_BLOCK.unlistedToggle,
    dispatch_action: true,
    optional: true,
    label: plain("Can't find it?"),
    element: {
      type: 'checkboxes',
      action_id: ACTION.toggleUnlisted,
      options: [option],
      ...(unlisted ? { initial_options: [option] } : {}),
    },
  };
}

function textInput(options: {
  blockId: string;
  label: string;
  maxLength: number;
  optional: boolean;
  hint?: string;
  placeholder?: string;
}): InputBlock {
  const element: PlainTextInput = {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    max_length: options.maxLength,
    ...(options.placeholder ? { placeholder: plain(options.placeholder, LIMIT.placeholder) } : {}),
  };
  return {
    type: 'input',
    block_id: options.blockId,
    optional: options.optional,
    label: plain(options.label),
    element,
    ...(options.hint ? { hint: plain(options.hint) } : {}),
  };
}

function unlistedDetails(): InputBlock[] {
  return [
    textInput({
      blockId: REQUEST_FORM_BLOCK.unlistedCustomerNumber,
      label: 'Customer number',
      maxLength: TEXT_LIMIT.customerNumber,
      optional: true,
      hint: 'If you know it; we check it against the organizations we know.',
    }),
    textInput({
      blockId: REQUEST_FORM_BLOCK.unlistedName,
      label: 'Organization name',
      maxLength: TEXT_LIMIT.organizationName,
      optional: false,
      placeholder: 'e.g. City of Springfield',
    }),
    textInput({ blockId: REQUEST_FORM_BLOCK.unlistedAcronym, label: 'Acronym', maxLength: TEXT_LIMIT.acronym, optional: true }),
    textInput({ blockId: REQUEST_FORM_BLOCK.unlistedDepartment, label: 'Department', maxLength: TEXT_LIMIT.department, optional: true }),
    textInput({ blockId: REQUEST_FORM_BLOCK.unlistedCity, label: 'City', maxLength: TEXT_LIMIT.city, optional: true }),
  ];
}

function alreadyHeld(organization: OrganizationSummary, held: readonly PermissionInfo[]): KnownBlock {
  return context(plain(`In ${organizationLabel(organization)} you already hold: ${permissionNames(held)}. You can ask for more below.`));
}

function permissionChoices(model: RequestFormModel): KnownBlock[] {
  const { adminRoles, access } = splitPermissions(model.requestable);
  if (adminRoles.length === 0 && access.length === 0) {
    const where = model.selectedOrganization ? ` in ${organizationLabel(model.selectedOrganization)}` : '';
    return [section(plain(`You already hold every permission${where}, so there is nothing more to ask for.`))];
  }
  const blocks: KnownBlock[] = [section(mrkdwn('*Permissions*  Tick at least one.'))];
  if (adminRoles.length > 0) {
    blocks.push(permissionGroup({ blockId: REQUEST_FORM_BLOCK.adminPermissions, label: 'Admin roles', permissions: adminRoles }));
  }
  if (access.length > 0) {
    blocks.push(permissionGroup({ blockId: REQUEST_FORM_BLOCK.accessPermissions, label: 'Access', permissions: access }));
  }
  return blocks;
}

function purposeInput(): InputBlock {
  return {
    type: 'input',
    block_id: REQUEST_FORM_BLOCK.purpose,
    label: plain('What do you need it for?'),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      min_length: 3,
      max_length: TEXT_LIMIT.purpose,
      placeholder: plain('e.g. I install ArcGIS Pro for the planning team.', LIMIT.placeholder),
    },
    hint: plain('Your administrators read this when they decide.'),
  };
}

export function requestFormView(model: RequestFormModel, metadata: RequestFormMetadata): ModalView {
  const blocks: KnownBlock[] = [
    section(mrkdwn("Ask to be connected to an organization. Its Administrators decide, and you'll hear back here in Slack.")),
    organizationPicker(model),
    unlistedToggle(model.unlisted),
  ];
  if (model.unlisted) {
    blocks.push(header('Your organization'), ...unlistedDetails());
  }
  if (model.selectedOrganization && !model.unlisted && model.held.length > 0) {
    blocks.push(alreadyHeld(model.selectedOrganization, model.held));
  }
  blocks.push(...permissionChoices(model), purposeInput());
  return {
    type: 'modal',
    callback_id: CALLBACK.requestForm,
    title: plain('Request access', 24),
    submit: plain('Send request', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeMetadata(requestFormMetadata, metadata),
    blocks,
  };
}
