/** What the permissions log records; one name per kind of change. */
export const LOG_ACTION = {
  organizationCreated: 'organization.created',
  organizationChannelsChanged: 'organization.channels_changed',
  connectionCreated: 'connection.created',
  permissionsChanged: 'connection.permissions_changed',
  requestSubmitted: 'request.submitted',
  requestApproved: 'request.approved',
  requestDenied: 'request.denied',
  requestWithdrawn: 'request.withdrawn',
  requestRouted: 'request.routed',
  requestExpired: 'request.expired',
  invitationSent: 'invitation.sent',
  /** A new invitation to the same address replaced one that was still pending. */
  invitationReplaced: 'invitation.replaced',
  invitationResent: 'invitation.resent',
  invitationEdited: 'invitation.edited',
  invitationRevoked: 'invitation.revoked',
  invitationAccepted: 'invitation.accepted',
  /** Someone whose Slack address is not the invited one tried to accept it. */
  invitationRefusedWrongAccount: 'invitation.refused_wrong_account',
  invitationExpired: 'invitation.expired',
  connectionExpired: 'connection.expired',
  connectionRemoved: 'connection.removed',
  endDateChanged: 'connection.end_date_changed',
  /** An admin changed a member's permissions, tags, dates or caller settings in one edit. */
  memberEdited: 'connection.edited',
  /** An admin disconnected a member: every permission to the organization taken away. */
  memberDisconnected: 'connection.disconnected',
  /** Expired access brought back within its 30 days, with a new end date or none. */
  memberRestored: 'connection.restored',
  /** Authorized-caller status given, changed or taken away. */
  callerChanged: 'connection.caller_changed',
  /** A member left an organization themselves (`/access leave`): every permission gone. */
  memberLeft: 'connection.left',
  /** An admin exported the permissions grid, the permissions report or the log (with its filters) as CSV. */
  exported: 'log.exported',
} as const;

export type LogAction = (typeof LOG_ACTION)[keyof typeof LOG_ACTION];

/** Who made a change when no Slack member did. */
export const ACTOR = {
  operator: 'operator',
  system: 'system',
} as const;

/** A connection as the log shows it before and after a change. */
export interface ConnectionSnapshot {
  status: string;
  permissions: string[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
}

export function connectionSnapshot(connection: {
  status: string;
  permissions: Iterable<string>;
  tags: unknown;
  startsOn: string | null;
  endsOn: string | null;
}): ConnectionSnapshot {
  return {
    status: connection.status,
    permissions: [...connection.permissions].sort(),
    tags: Array.isArray(connection.tags) ? connection.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    startsOn: connection.startsOn,
    endsOn: connection.endsOn,
  };
}
