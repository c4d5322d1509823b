/** Which kind of administrator may grant a permission. */
export type AdminScope = 'FULL' | 'TRAINING' | 'AUTHORIZED_CALLER';

export interface PermissionDefinition {
  key: string;
  name: string;
  description: string;
  adminScope: AdminScope;
}

export const PERMISSION = {
  administrator: 'administrator',
  assignTraining: 'assign_training',
  assignAuthorizedCallers: 'assign_authorized_callers',
  eLearning: 'e_learning',
  viewSupport: 'view_support',
  authorizedCallerActions: 'authorized_caller_actions',
  downloadSoftware: 'download_software',
  manageLicensing: 'manage_licensing',
  viewTransactions: 'view_transactions',
  viewConferenceRegistrations: 'view_conference_registrations',
  esriAccess: 'esri_access',
} as const;

export type PermissionKey = (typeof PERMISSION)[keyof typeof PERMISSION];

/**
 * My Esri's permissions, in the order people see them. Descriptions are written for the person
 * choosing what to ask for or grant, so they say what the permission lets someone do.
 */
export const PERMISSION_CATALOG: readonly PermissionDefinition[] = [
  {
    key: PERMISSION.administrator,
    name: 'Administrator',
    description:
      "Run the organization's access: approve or deny requests, invite people, change anyone's permissions and end dates, and read the permissions log.",
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.assignTraining,
    name: 'Assign training permissions',
    description: 'Give or take away e-Learning access for people in the organization, without any other admin rights.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.assignAuthorizedCallers,
    name: 'Assign authorized callers',
    description:
      "Decide who may contact technical support on the organization's behalf and at which support level, without any other admin rights.",
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.eLearning,
    name: 'Access e-Learning',
    description: 'Take the courses, training seats and learning plans the organization has paid for.',
    adminScope: 'TRAINING',
  },
  {
    key: PERMISSION.viewSupport,
    name: 'View technical support information',
    description: "See the organization's support cases, their status and their history.",
    adminScope: 'AUTHORIZED_CALLER',
  },
  {
    key: PERMISSION.authorizedCallerActions,
    name: 'Take authorized caller actions',
    description: "Open, update and close technical support cases in the organization's name.",
    adminScope: 'AUTHORIZED_CALLER',
  },
  {
    key: PERMISSION.downloadSoftware,
    name: 'Download software',
    description: 'Download the products, updates and installers the organization is licensed for.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.manageLicensing,
    name: 'Manage licensing',
    description: "Get authorization codes, and assign, move or return the organization's licenses.",
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.viewTransactions,
    name: 'View transactions and order history',
    description: 'See quotes, orders, invoices and maintenance the organization has bought or renewed.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.viewConferenceRegistrations,
    name: 'View User Conference registrations',
    description: 'See who from the organization has registered for the User Conference and with which passes.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.esriAccess,
    name: 'Esri access',
    description:
      "Sign in to Esri's websites, forums and events as a member of the organization, with its maintenance benefits.",
    adminScope: 'FULL',
  },
];

export function isPermissionKey(value: string): value is PermissionKey {
  return PERMISSION_CATALOG.some((permission) => permission.key === value);
}
