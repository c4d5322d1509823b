/**
 * Gatehouse's words in English: the catalog the others are checked against. A message is a string,
 * or a function of the values it names, so a translation with a missing or misnamed value fails
 * to compile. Values arrive already escaped for mrkdwn and already formatted (dates, mentions).
 */
export const en = {
  locale: 'en-US',
  /** A Slack date token's format for a day and a time, joined the way the language does. */
  slackDateTime: '{date_short} at {time}',
  slackLongDateTime: '{date_long} at {time}',
  /** How the first day of a month is written (French says "1er"). */
  firstOfMonth: '1',
  endOfDay: (day: string) => `${day}, end of day`,
  itsEndDate: 'its end date',
  none: 'None',
  today: 'today',
  tomorrow: 'tomorrow',
  inDays: (days: number) => `in ${days} days`,

  expiryWarning: (organization: string, when: string, day: string) =>
    `Your access to *${organization}* ends ${when}, at the end of ${day}.`,
  expiryWarningShort: (organization: string, when: string) => `Your access to ${organization} ends ${when}.`,
  expiryWarningHelp: 'If you still need it, ask one of its administrators to extend it. After the end you will look disconnected.',
  accessExpired: (organization: string, day: string, until: string) =>
    `Your access to *${organization}* ended on ${day}. An administrator can restore it until ${until}; after that you will be ` +
    `removed from the organization.`,
  thirtyDaysAfter: '30 days after that',
  accessRemoved: (organization: string, day: string) =>
    `You were removed from *${organization}*: your access ended on ${day} and was not restored within 30 days.`,
  seeWhatYouHold: (command: string) => `See what you can still access with ${command}.`,

  requestExpired: (organization: string, requestId: number, made: string, command: string) =>
    `Your request for access to *${organization}* (request #${requestId}), made ${made}, expired without a decision. You can ask ` +
    `again with ${command}.`,
  yourOrganization: 'your organization',

  approvedHeadline: (by: string, organization: string) => `*You're in.* ${by} approved your request for access to *${organization}*.`,
  approvedShort: (organization: string, by: string) => `Your request for access to ${organization} was approved by ${by}.`,
  approvedOn: (requestId: number, when: string) => `Request #${requestId}  ·  approved ${when}`,
  whatYouCanDo: 'What you can do now',
  addedByAdministrator: 'added by your administrator',
  askedNotGranted: 'Asked for but not granted',
  accessEnds: (when: string) => `Your access ends ${when}.`,
  noteFrom: (by: string) => `Note from ${by}`,
  seeEverything: (command: string) => `See everything you hold with ${command}.`,
  deniedHeadline: (organization: string, by: string) => `Your request for access to *${organization}* was denied by ${by}.`,
  deniedShort: (organization: string, by: string) => `Your request for access to ${organization} was denied by ${by}.`,
  deniedOn: (requestId: number, when: string) => `Request #${requestId}  ·  denied ${when}`,
  reason: 'Reason',
  askAgain: (command: string) => `If something changes, you can ask again with ${command}.`,

  settingsTitle: 'Settings',
  settingsSave: 'Save',
  settingsCancel: 'Cancel',
  settingsLanguage: 'My language',
  settingsLanguageHint: 'Gatehouse writes to you in this language: notices, warnings, replies and your Home tab.',
  settingsSaved: (language: string) => `Saved. Gatehouse now writes to you in ${language}.`,
  settingsUnchanged: 'Saved. Nothing changed.',
  settingsHomeStart: 'App Home opens on',
  settingsHomeStartHint: 'The section you see first each time you open Gatehouse in Slack.',
  homeStartLast: 'Where I left it',
  homeStartAccess: 'My access and requests',
  homeStartMembers: 'Users (the members I manage)',
  settingsHomeStartOnlyAdmins: 'Only administrators of an organization have a users section.',
  settingsSavedHome: (section: string) => `App Home now opens on: ${section}.`,
  statusActive: 'Active',
  statusExpired: 'Expired',
  statusDisabled: 'Disabled',
  statusDisconnected: 'Disconnected',
  statusPending: 'Pending invitation',
  changeStatus: 'Status',
  changeYouNowHave: 'You now have',
  changeGained: 'Gained',
  changeYouNoLongerHave: 'You no longer have',
  changeLost: 'Lost',
  changeStillHeld: 'Still held',
  changeStarts: 'Starts',
  changeEnds: 'Ends',
  changeTags: 'Tags',
  changeCaller: 'Authorized caller',
  whenConnected: 'when connected',
  noEndDate: 'no end date',
  noTags: 'none',
  notACaller: 'not an authorized caller',
  someone: 'someone',
  memberDisconnected: (organization: string) =>
    `:no_entry: Your access to ${organization} was disconnected. Every permission you held there was removed.`,
  memberRestoredUntil: (organization: string, day: string) =>
    `:white_check_mark: Your access to ${organization} was restored, until the end of ${day}.`,
  memberRestored: (organization: string) => `:white_check_mark: Your access to ${organization} was restored, with no end date.`,
  memberEndsOn: (organization: string, day: string) => `:calendar: Your access to ${organization} now ends at the end of ${day}.`,
  memberNoEnd: (organization: string) => `:calendar: Your access to ${organization} no longer has an end date.`,
  memberCallerChanged: (organization: string) => `:telephone_receiver: Your authorized-caller settings for ${organization} changed.`,
  memberInvitationEdited: (organization: string) =>
    `:envelope: Your invitation to ${organization} changed: accepting it now gives you what is below.`,
  memberEdited: (organization: string) => `:pencil2: Your access to ${organization} changed.`,
  memberDisconnectedShort: (organization: string) => `Your access to ${organization} was disconnected.`,
  memberRestoredShort: (organization: string) => `Your access to ${organization} was restored.`,
  memberEndDateShort: (organization: string) => `Your end date in ${organization} changed.`,
  memberCallerShort: (organization: string) => `Your authorized-caller settings for ${organization} changed.`,
  memberInvitationShort: (organization: string) => `Your invitation to ${organization} changed.`,
  memberEditedShort: (organization: string) => `Your access to ${organization} changed.`,
  adminChanged: (actor: string, subject: string, organization: string) => `${actor} changed the access of ${subject} in ${organization}.`,
  adminDisconnected: (actor: string, subject: string, organization: string) => `${actor} disconnected ${subject} from ${organization}.`,
  adminRestored: (actor: string, subject: string, organization: string) => `${actor} restored the access of ${subject} in ${organization}.`,
  adminEndDate: (actor: string, subject: string, organization: string) => `${actor} changed the end date of ${subject} in ${organization}.`,
  adminCaller: (actor: string, subject: string, organization: string) =>
    `${actor} changed the authorized-caller settings of ${subject} in ${organization}.`,
  adminInvitation: (actor: string, subject: string, organization: string) =>
    `${actor} edited the invitation of ${subject} in ${organization}.`,
  noteForTheLog: 'Note for the log',
  changedBy: (actor: string) => `Changed by ${actor}`,
  loggedAs: (entry: number) => `Logged as entry #${entry}`,
  askToReconnect: (command: string) => `To get access again, ask one of its Administrators or use ${command}.`,
  seeMembers: (command: string) => `See the organization’s members with ${command}.`,
  anOrganization: 'an organization',
  receiptOnItsWay: (requestId: number) => `:outbox_tray: *Your request is on its way*  ·  request #${requestId}`,
  receiptTitle: (requestId: number) => `*Your request*  ·  request #${requestId}`,
  receiptOnItsWayShort: (organization: string, requestId: number) =>
    `Your request for access to ${organization} is on its way (request #${requestId}).`,
  receiptShort: (organization: string, requestId: number, status: string) =>
    `Your request for access to ${organization} (request #${requestId}): ${status}.`,
  requestStatusPending: 'waiting for a decision',
  requestStatusApproved: 'approved',
  requestStatusDenied: 'denied',
  requestStatusWithdrawn: 'withdrawn',
  requestStatusExpired: 'expired',
  organizationHeading: 'Organization',
  organizationUnlisted: 'not listed in Gatehouse; as the requester typed it',
  organizationNotGiven: 'not given',
  customerNumber: (number: string) => `Customer number ${number}`,
  customerNumberNotGiven: 'Customer number not given',
  department: (department: string) => `Department: ${department}`,
  city: (city: string) => `City: ${city}`,
  youAskedFor: 'You asked for',
  noPermissionsNamed: 'No permissions named',
  whatFor: 'What for',
  routedToAdmins: (organization: string) =>
    `The Administrators of ${organization} have it. You'll get a message here as soon as one of them decides.`,
  routedToOperatorsNoAdmin: (organization: string) =>
    `${organization} has no administrator in Gatehouse yet, so Gatehouse's operators will handle your request. You'll get a ` +
    `message here once it's decided.`,
  routedToOperatorsUnlisted:
    "Your organization isn't listed in Gatehouse yet, so Gatehouse's operators will match your request to the right " +
    'organization and pass it to its Administrators.',
  unattendedNoAdmin: (organization: string) =>
    `${organization} has no Administrator in Gatehouse yet, and nobody in Gatehouse can handle your request until it has one: ask ` +
    `whoever runs Gatehouse in this workspace to add an Administrator for ${organization}. Your request waits here until then, or ` +
    `until you withdraw it.`,
  unattendedUnlisted:
    "Your organization isn't listed in Gatehouse yet, and nobody in Gatehouse can handle your request until it is: ask " +
    'whoever runs Gatehouse in this workspace to add your organization. Your request waits here until then, or until you withdraw it.',
  withdraw: 'Withdraw',
  withdrawTitle: 'Withdraw this request?',
  withdrawText: (command: string) => `Nobody will be able to approve it any more. You can ask again anytime with ${command}.`,
  keepIt: 'Keep it',
  requesterApprovedBy: (by: string, when: string, command: string) =>
    `:white_check_mark: Approved by ${by} on ${when}. See what you hold now with ${command}.`,
  requesterApproved: (command: string) => `:white_check_mark: Approved. See what you hold now with ${command}.`,
  requesterDeniedBy: (by: string, when: string) => `:no_entry_sign: Denied by ${by} on ${when}.`,
  requesterDenied: ':no_entry_sign: Denied.',
  requesterWithdrewOn: (when: string) => `:leftwards_arrow_with_hook: You withdrew this request on ${when}.`,
  requesterWithdrew: ':leftwards_arrow_with_hook: You withdrew this request.',
  requesterExpired: (command: string) => `:hourglass: This request expired without an answer. You can ask again with ${command}.`,
  requesterWaiting: ':hourglass_flowing_sand: Waiting for a decision.',
};

/** What every language has to say: the English catalog's keys, each with the same values. */
export type Catalog = typeof en;
