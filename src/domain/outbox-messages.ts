/**
 * The Slack messages a change causes, as data. Services write them to the outbox in the same
 * transaction as the change; the dispatcher draws and delivers them, so a message always shows
 * the state at delivery time.
 */
import type { ExportRequest } from './log-query.js';
import type { BulkAction } from './member-management.js';

/**
 * Where a new request went: to an organization's Administrators, to the operators' triage (for an
 * unlisted organization or one with no Administrator), or, with no triage channel and no
 * operators, nowhere yet ("unattended").
 */
export type RequestRouting = 'admins' | 'triage-unlisted' | 'triage-no-admin' | 'unattended-unlisted' | 'unattended-no-admin';

export type OutboxItem =
  /** An approval card, posted to a user (DM) or a channel. */
  | { kind: 'request.card'; requestId: number; audience: 'admin' | 'triage'; channel: string }
  /** The requester's confirmation, with Withdraw. */
  | { kind: 'request.receipt'; requestId: number; userId: string; routing: RequestRouting }
  /** Redraw every message posted about a request. */
  | { kind: 'request.refresh'; requestId: number }
  /** Tell the requester how their request was decided. */
  | { kind: 'request.outcome'; requestId: number; userId: string }
  /** Tell an admin that someone's permissions changed (from a permissions-log entry). */
  | { kind: 'permissions.changed'; logEntryId: number; userId: string }
  /** One line in an organization's audit channel (from a permissions-log entry). */
  /**
   * The audit channel's line for the entries one change appended to an organization's log: their
   * sequence numbers, first to last (one entry, or a batch such as a 1000-person invitation).
   */
  | { kind: 'audit.entries'; organizationId: number; fromSequence: number; toSequence: number; channel: string }
  /** Redraw someone's App Home tab. */
  | { kind: 'home.refresh'; userId: string }
  /**
   * Deliver an invitation: a DM when the address belongs to someone in the workspace, else an
   * email, else the code goes to the inviting admin. The code travels sealed and is scrubbed
   * from the row once delivered.
   */
  | { kind: 'invitation.deliver'; invitationId: number; sealedCode: string }
  /** Tell the inviting admin an invitation went by email because Slack refused the invitee's DM (`slackError`). */
  | { kind: 'invitation.emailed'; organizationId: number; email: string; slackError: string; userId: string }
  /** Tell an operator which outbox messages were parked as failed: sent once per parking. */
  | { kind: 'outbox.parked'; outboxIds: number[]; userId: string }
  /** Tell someone their access to an organization ends soon (`endsAt` is the end it warns about). */
  | { kind: 'connection.warning'; connectionId: number; endsAt: string; leadDays: number; userId: string }
  /** Tell someone their access expired, or that they were removed after the grace period. */
  | { kind: 'connection.ended'; connectionId: number; event: ConnectionEndEvent; userId: string }
  /** Tell an admin (a user id) or the audit channel whose access expired or who was removed. */
  | {
      kind: 'connections.ended.summary';
      organizationId: number;
      event: ConnectionEndEvent;
      connectionIds: number[];
      /** The admin's DM: the summary carries the buttons to restore access. */
      channel: string;
    }
  /** Tell an admin that invitations they sent expired unaccepted and were deleted. */
  | { kind: 'invitations.expired'; organizationId: number; emails: string[]; userId: string }
  /** An admin's daily list of who loses access soon in an organization (`day` in its time zone). */
  | { kind: 'expiry.digest'; organizationId: number; day: string; until: string; userId: string }
  /** Tell an Administrator or an operator that an organization is about to be left without an Administrator (at `runsOutAt`). */
  | { kind: 'administrators.ending'; organizationId: number; runsOutAt: string; leadDays: number; userId: string }
  /** Remind an admin of a request still waiting for a decision. */
  | { kind: 'request.reminder'; requestId: number; userId: string }
  /** Tell a requester their request expired undecided. */
  | { kind: 'request.expired'; requestId: number; userId: string }
  /** Tell the person (`member`) or an Administrator what an admin changed about someone's access (from a permissions-log entry). */
  | { kind: 'access.changed'; logEntryId: number; userId: string; audience: 'member' | 'administrator' }
  /** Tell an Administrator that a member left the organization themselves (from the permissions-log entry). */
  | { kind: 'member.left'; logEntryId: number; userId: string }
  /**
   * A member's message to one of an organization's Administrators (`/access contact`). The text
   * travels in the row: nothing else keeps it.
   */
  | { kind: 'admins.contacted'; organizationId: number; fromSlackUserId: string; message: string; sentAt: string; userId: string }
  /** Tell an Administrator (or the admin who acted, as a receipt) what one bulk action changed: one summary each, not one per person. */
  | {
      kind: 'bulk.summary';
      organizationId: number;
      actorSlackUserId: string;
      action: BulkAction;
      logEntryIds: number[];
      skipped: number;
      userId: string;
    }
  /**
   * Post an organization's log chain head (`sequence:hash`) to its audit channel, once a day, so a
   * rewritten database can be told from the record outside it. The head is the one read at `at` (ISO), when queued.
   */
  | { kind: 'log.anchor'; organizationId: number; sequence: number; hash: string; at: string; channel: string }
  /**
   * A CSV export into an admin's DM (`userId`), drawn at delivery; the log export holds the entries
   * logged before its own entry (`upToSequence`), so a retry sends the same rows.
   */
  | { kind: 'export.csv'; organizationId: number; request: ExportRequest; logEntryId: number; upToSequence: number; userId: string };

export type ConnectionEndEvent = 'expired' | 'removed';
