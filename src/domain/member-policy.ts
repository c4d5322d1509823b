/**
 * Who may do what to whom in `/access users` and `/access callers`: the one policy every service
 * asks before it changes anything, whatever the form or button said. Administrators manage
 * everyone; a training admin manages only people whose access is e-Learning and nothing else, and
 * grants only that; an authorized-caller admin manages only callers. For everyone, nobody raises
 * their own access, and no change leaves an organization without an Administrator.
 */
import type { AccessTerms } from './admin-scope.js';
import { AUTHORIZED_CALLER_PERMISSIONS, hasAnyAdminRole, mayGrant } from './invitations.js';
import type { BulkAction, ManagementAction, RowCapabilities } from './member-management.js';
import { PERMISSION } from './permission-catalog.js';
import type { AdminRoles } from './policy.js';
import type { PersonSummary } from './read-models.js';

/** Why a management action is refused; services raise it as a DomainError with this code. */
export type RefusalCode = 'forbidden' | 'own_access' | 'last_administrator' | 'not_restorable';

export type ManagementDecision = { allowed: true } | { allowed: false; code: RefusalCode; reason: string };

const ALLOWED: ManagementDecision = { allowed: true };
const refuse = (code: RefusalCode, reason: string): ManagementDecision => ({ allowed: false, code, reason });

/** The admin acting, in the organization the action is in. */
export interface ManagerFacts {
  memberId: number;
  email: string | null;
  /** Effective roles in this organization (none when their own access is not in effect). */
  roles: AdminRoles;
  organizationName: string;
  /** The organization's effective Administrators, named when someone is refused. */
  administrators: readonly PersonSummary[];
}

/** Where a row stands: a member's connection, or a pending invitation. */
export type SubjectStatus = 'ACTIVE' | 'EXPIRED' | 'SUSPENDED' | 'REMOVED' | 'INVITATION';

/** The person an action is about, as they stand before it. */
export interface SubjectFacts extends AccessTerms {
  memberId: number | null;
  email: string | null;
  status: SubjectStatus;
  /** Effective Administrator now: the one whose loss could leave the organization without one. */
  isEffectiveAdministrator: boolean;
  /** Expired access: whether its 30 days to be restored are still running. */
  restorable: boolean;
}

/** What the action would leave them with. */
export interface SubjectOutcome extends AccessTerms {
  status: SubjectStatus;
}

/** What the policy needs to know beyond the two people. */
export interface PolicyContext {
  /** Today in the organization's time zone, YYYY-MM-DD. */
  today: string;
  /** Effective Administrators other than the subject. */
  otherAdministrators: number;
}

/** "Only Administrators of City of Redlands can do this: Ada Admin, Bob Builder." */
export function onlyAdministrators(organizationName: string, administrators: readonly PersonSummary[], what = 'do this'): string {
  if (administrators.length === 0) {
    return `Only Administrators of ${organizationName} can ${what}, and it has none right now: ask Gatehouse's operators to add one.`;
  }
  const names = administrators.slice(0, 5).map((admin) => admin.displayName);
  const more = administrators.length > names.length ? ` and ${administrators.length - names.length} more` : '';
  return `Only Administrators of ${organizationName} can ${what}: ask ${names.join(', ')}${more}.`;
}

export const OWN_RAISE_RULE = 'Nobody raises their own access: another Administrator has to give you more, or for longer.';

export function lastAdministratorRule(organizationName: string): string {
  return `This is the last Administrator of ${organizationName}, who has to stay one: make someone else an Administrator first.`;
}

function samePerson(actor: ManagerFacts, subject: { memberId: number | null; email: string | null }): boolean {
  if (subject.memberId !== null && actor.memberId === subject.memberId) return true;
  return actor.email !== null && subject.email !== null && actor.email.toLowerCase() === subject.email.toLowerCase();
}

const E_LEARNING_ONLY = new Set<string>([PERMISSION.eLearning]);

function onlyELearning(permissions: readonly string[]): boolean {
  return permissions.every((key) => E_LEARNING_ONLY.has(key));
}

/**
 * Whether a change gives someone more than they had: a permission they lacked, access back in
 * effect, a later end (or none), or an earlier start. Tags and caller settings raise nothing.
 */
export function raisesAccess(before: AccessTerms & { status: SubjectStatus }, after: AccessTerms & { status: SubjectStatus }): boolean {
  // A pending invitation's permissions are what its invitee gets on accepting, so they count as held.
  const counts = (status: SubjectStatus) => status === 'ACTIVE' || status === 'INVITATION';
  const held = new Set(counts(before.status) ? before.permissions : []);
  if (counts(after.status) && after.permissions.some((key) => !held.has(key))) return true;
  if (!counts(before.status) && counts(after.status) && after.permissions.length > 0) return true;
  if (before.endsOn !== null && (after.endsOn === null || after.endsOn > before.endsOn)) return true;
  if (before.startsOn !== null && (after.startsOn === null || after.startsOn < before.startsOn)) return true;
  return false;
}

/** Whether the subject would stop being an effective Administrator. */
function losesAdministrator(subject: SubjectFacts, after: SubjectOutcome, today: string): boolean {
  if (!subject.isEffectiveAdministrator) return false;
  if (after.status !== 'ACTIVE' || !after.permissions.includes(PERMISSION.administrator)) return true;
  return after.endsOn !== null && after.endsOn < today;
}

function gainedAndLost(before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before);
  const is = new Set(after);
  return [...after.filter((key) => !was.has(key)), ...before.filter((key) => !is.has(key))];
}

/** The rules every change to someone's access answers to, once the actor may act on the row at all. */
function mayChangeAccess(actor: ManagerFacts, subject: SubjectFacts, after: SubjectOutcome, context: PolicyContext): ManagementDecision {
  const before = subject.status === 'REMOVED' ? [] : subject.permissions;
  const outside = gainedAndLost(before, after.status === 'REMOVED' ? [] : after.permissions).filter((key) => !mayGrant(actor.roles, key));
  if (outside.length > 0) {
    return refuse('forbidden', onlyAdministrators(actor.organizationName, actor.administrators, 'grant or take away those permissions'));
  }
  if (samePerson(actor, subject) && raisesAccess(subject, after)) return refuse('own_access', OWN_RAISE_RULE);
  if (losesAdministrator(subject, after, context.today) && context.otherAdministrators === 0) {
    return refuse('last_administrator', lastAdministratorRule(actor.organizationName));
  }
  return ALLOWED;
}

/** May the actor see and act on this organization's members list at all? */
export function mayListMembers(actor: ManagerFacts): ManagementDecision {
  if (actor.roles.administrator || actor.roles.trainingAdmin) return ALLOWED;
  if (actor.roles.authorizedCallerAdmin) {
    return refuse(
      'forbidden',
      `As an authorized-caller administrator of ${actor.organizationName} you manage its support callers: use \`/access callers\`. ` +
        onlyAdministrators(actor.organizationName, actor.administrators, 'manage its other members'),
    );
  }
  return refuse('forbidden', onlyAdministrators(actor.organizationName, actor.administrators, 'manage its members'));
}

/** May the actor manage this organization's authorized callers? */
export function mayManageCallers(actor: ManagerFacts): ManagementDecision {
  if (actor.roles.administrator || actor.roles.authorizedCallerAdmin) return ALLOWED;
  return refuse(
    'forbidden',
    `Only Administrators and authorized-caller administrators of ${actor.organizationName} manage its callers. ` +
      onlyAdministrators(actor.organizationName, actor.administrators, 'make you one'),
  );
}

/** A training admin manages only people whose access is e-Learning and nothing else. */
function mayTouchRow(actor: ManagerFacts, subject: SubjectFacts): ManagementDecision {
  const listed = mayListMembers(actor);
  if (!listed.allowed) return listed;
  if (!actor.roles.administrator && !onlyELearning(subject.permissions)) {
    return refuse(
      'forbidden',
      `As a training administrator you manage only people whose access is Access e-Learning alone. ` +
        onlyAdministrators(actor.organizationName, actor.administrators, 'change this person'),
    );
  }
  return ALLOWED;
}

function callerOutcome(subject: SubjectFacts, adding: boolean): SubjectOutcome {
  const others = subject.permissions.filter((key) => !AUTHORIZED_CALLER_PERMISSIONS.includes(key));
  return { ...subject, permissions: adding ? [...others, ...AUTHORIZED_CALLER_PERMISSIONS] : others };
}

/** What a bulk action leaves one person with; tags are compared case-insensitively, as the filter does. */
export function bulkOutcome(subject: SubjectFacts, action: BulkAction): SubjectOutcome {
  const terms: SubjectOutcome = { ...subject, permissions: [...subject.permissions], tags: [...subject.tags] };
  switch (action.kind) {
    case 'add_tag':
      return terms.tags.some((tag) => tag.toLowerCase() === action.tag.toLowerCase())
        ? terms
        : { ...terms, tags: [...terms.tags, action.tag] };
    case 'remove_tag':
      return { ...terms, tags: terms.tags.filter((tag) => tag.toLowerCase() !== action.tag.toLowerCase()) };
    case 'set_end_date':
      return { ...terms, endsOn: action.endsOn, status: subject.status === 'EXPIRED' ? 'ACTIVE' : subject.status };
    case 'clear_end_date':
      return { ...terms, endsOn: null, status: subject.status === 'EXPIRED' ? 'ACTIVE' : subject.status };
    case 'add_permission':
      return terms.permissions.includes(action.permission) ? terms : { ...terms, permissions: [...terms.permissions, action.permission] };
    case 'remove_permission':
      return { ...terms, permissions: terms.permissions.filter((key) => key !== action.permission) };
    case 'resend':
      return terms;
    case 'disconnect':
      return { ...terms, status: 'REMOVED', permissions: [] };
  }
}

/** The facts of one action: who acts, on whom, and (for changes) what it leaves. */
export interface ActionFacts {
  actor: ManagerFacts;
  subject?: SubjectFacts;
  after?: SubjectOutcome;
  context: PolicyContext;
}

function needsSubject(facts: ActionFacts): { subject: SubjectFacts; after: SubjectOutcome } {
  if (!facts.subject) throw new Error('this action is about someone: pass the subject');
  return { subject: facts.subject, after: facts.after ?? facts.subject };
}

/** A member's row, not a pending invitation, and still connected. */
function requireMember(subject: SubjectFacts): ManagementDecision {
  if (subject.status === 'INVITATION')
    return refuse('forbidden', 'That is a pending invitation: edit, resend or revoke the invitation instead.');
  if (subject.status === 'REMOVED') return refuse('not_restorable', 'This person is no longer connected; invite them again instead.');
  return ALLOWED;
}

function requireInvitation(subject: SubjectFacts): ManagementDecision {
  return subject.status === 'INVITATION' ? ALLOWED : refuse('forbidden', 'Only pending invitations can be resent or revoked.');
}

function all(...decisions: Array<() => ManagementDecision>): ManagementDecision {
  for (const decide of decisions) {
    const decision = decide();
    if (!decision.allowed) return decision;
  }
  return ALLOWED;
}

const ROLE_OF_ACTION: Partial<Record<ManagementAction, { permission: string; grant: boolean }>> = {
  'role.grant.administrator': { permission: PERMISSION.administrator, grant: true },
  'role.revoke.administrator': { permission: PERMISSION.administrator, grant: false },
  'role.grant.assign_training': { permission: PERMISSION.assignTraining, grant: true },
  'role.revoke.assign_training': { permission: PERMISSION.assignTraining, grant: false },
  'role.grant.assign_authorized_callers': { permission: PERMISSION.assignAuthorizedCallers, grant: true },
  'role.revoke.assign_authorized_callers': { permission: PERMISSION.assignAuthorizedCallers, grant: false },
};

/** The permission an admin-role action grants or revokes, or undefined for other actions. */
export function roleOfAction(action: ManagementAction): { permission: string; grant: boolean } | undefined {
  return ROLE_OF_ACTION[action];
}

/**
 * The one decision for every management action. Services call it with what they read under their
 * lock; views call `rowCapabilities`, which asks the same questions, only to decide what to offer.
 */
export function mayTake(action: ManagementAction, facts: ActionFacts): ManagementDecision {
  const { actor, context } = facts;
  if (!hasAnyAdminRole(actor.roles)) {
    return refuse('forbidden', onlyAdministrators(actor.organizationName, actor.administrators));
  }
  switch (action) {
    case 'users.list':
      return mayListMembers(actor);
    case 'callers.list':
      return mayManageCallers(actor);
    case 'member.edit':
    case 'member.disconnect':
    case 'bulk.disconnect': {
      const { subject, after } = needsSubject(facts);
      return all(
        () => requireMember(subject),
        () => mayTouchRow(actor, subject),
        () => mayTouchRow(actor, { ...subject, permissions: after.permissions }),
        () => mayChangeAccess(actor, subject, after, context),
      );
    }
    // Bulk changes apply to pending invitations too: the person gets them on accepting.
    case 'bulk.add_tag':
    case 'bulk.remove_tag':
    case 'bulk.set_end_date':
    case 'bulk.clear_end_date':
    case 'bulk.add_permission':
    case 'bulk.remove_permission': {
      const { subject, after } = needsSubject(facts);
      return all(
        () => (subject.status === 'INVITATION' ? ALLOWED : requireMember(subject)),
        () =>
          subject.status === 'EXPIRED' && after.status === 'ACTIVE' && !subject.restorable
            ? refuse('not_restorable', 'The 30 days to restore this access are over; invite them again instead.')
            : ALLOWED,
        () => mayTouchRow(actor, subject),
        () => mayTouchRow(actor, { ...subject, permissions: after.permissions }),
        () => mayChangeAccess(actor, subject, after, context),
      );
    }
    case 'member.restore': {
      const { subject, after } = needsSubject(facts);
      return all(
        () => requireMember(subject),
        () =>
          subject.status === 'EXPIRED' && subject.restorable
            ? ALLOWED
            : refuse('not_restorable', 'Only expired access still in its 30 days can be restored.'),
        () => mayTouchRow(actor, subject),
        () => mayChangeAccess(actor, subject, { ...after, status: 'ACTIVE' }, context),
      );
    }
    case 'invitation.edit':
    case 'invitation.resend':
    case 'invitation.revoke':
    case 'bulk.resend': {
      const { subject, after } = needsSubject(facts);
      return all(
        () => requireInvitation(subject),
        () => mayTouchRow(actor, subject),
        () => mayTouchRow(actor, { ...subject, permissions: after.permissions }),
        () => mayChangeAccess(actor, subject, after, context),
      );
    }
    case 'callers.add':
      return mayManageCallers(actor);
    case 'callers.promote':
    case 'callers.edit':
    case 'callers.remove': {
      const { subject } = needsSubject(facts);
      const outcome = action === 'callers.remove' ? callerOutcome(subject, false) : callerOutcome(subject, true);
      return all(
        () => mayManageCallers(actor),
        () => requireMember(subject),
        () => mayChangeAccess(actor, subject, outcome, context),
      );
    }
    // Every admin reads the log; what each kind sees of it is `logScopeOf` their roles.
    case 'log.view':
    case 'log.export':
      return ALLOWED;
    case 'report.view':
    case 'report.export':
      return actor.roles.administrator
        ? ALLOWED
        : refuse('forbidden', onlyAdministrators(actor.organizationName, actor.administrators, 'see who holds each permission'));
    case 'role.grant.administrator':
    case 'role.revoke.administrator':
    case 'role.grant.assign_training':
    case 'role.revoke.assign_training':
    case 'role.grant.assign_authorized_callers':
    case 'role.revoke.assign_authorized_callers': {
      const { subject } = needsSubject(facts);
      const role = ROLE_OF_ACTION[action]!;
      const others = subject.permissions.filter((key) => key !== role.permission);
      const outcome: SubjectOutcome = { ...subject, permissions: role.grant ? [...others, role.permission] : others };
      if (!actor.roles.administrator) {
        return refuse('forbidden', onlyAdministrators(actor.organizationName, actor.administrators, 'grant or revoke admin roles'));
      }
      return all(
        () => requireMember(subject),
        () => mayChangeAccess(actor, subject, outcome, context),
      );
    }
  }
}

/** What a list row offers the actor: each answer is `mayTake` for that action on that row. */
export function rowCapabilities(actor: ManagerFacts, subject: SubjectFacts, context: PolicyContext): RowCapabilities {
  const may = (action: ManagementAction, after?: SubjectOutcome) => mayTake(action, { actor, subject, after, context }).allowed;
  const invitation = subject.status === 'INVITATION';
  const edit = may(invitation ? 'invitation.edit' : 'member.edit');
  return {
    edit,
    disconnect: !invitation && may('member.disconnect', { ...subject, status: 'REMOVED', permissions: [] }),
    restore: !invitation && subject.status === 'EXPIRED' && may('member.restore'),
    resend: invitation && may('invitation.resend'),
    revoke: invitation && may('invitation.revoke'),
    select: edit,
  };
}

/**
 * Which entries of the permissions log an admin sees: Administrators all of them, training admins
 * those about e-Learning users (entries whose permissions are e-Learning alone), callers admins
 * those about authorized callers; someone with both limited roles sees both.
 */
export type LogScope = { all: true } | { all: false; eLearning: boolean; callers: boolean };

export function logScopeOf(roles: AdminRoles): LogScope {
  if (roles.administrator) return { all: true };
  return { all: false, eLearning: roles.trainingAdmin, callers: roles.authorizedCallerAdmin };
}

/**
 * May members leave an organization themselves (`/access leave`)? Anyone still connected may,
 * whatever they hold, except the one whose leaving would take its last Administrator: the same
 * rule that stops an admin from removing them.
 */
export function mayLeaveOrganization(subject: SubjectFacts, context: PolicyContext, organizationName: string): ManagementDecision {
  if (subject.status === 'REMOVED' || subject.status === 'INVITATION') {
    return refuse('forbidden', `You are not connected to ${organizationName}, so there is nothing to leave.`);
  }
  if (losesAdministrator(subject, { ...subject, status: 'REMOVED', permissions: [] }, context.today) && context.otherAdministrators === 0) {
    return refuse(
      'last_administrator',
      `You are the last Administrator of ${organizationName}, and it has to keep one: ` +
        'make someone else an Administrator first, then leave.',
    );
  }
  return ALLOWED;
}
