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

/** Slack shows at most this many characters of an option's description. */
export const PERMISSION_DESCRIPTION_LIMIT = 75;

/**
 * My Esri's permissions, in the order people see them. Descriptions are written for the person
 * choosing what to ask for or grant, so they say what the permission lets someone do, and they
 * fit in a checkbox option's description.
 */
export const PERMISSION_CATALOG: readonly PermissionDefinition[] = [
  {
    key: PERMISSION.administrator,
    name: 'Administrator',
    description: "Approve requests, invite people and manage everyone's access and end dates.",
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.assignTraining,
    name: 'Assign training permissions',
    description: 'Give or take away e-Learning access, with no other admin rights.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.assignAuthorizedCallers,
    name: 'Assign authorized callers',
    description: 'Choose who may call technical support, with no other admin rights.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.eLearning,
    name: 'Access e-Learning',
    description: 'Take the courses and training your organization has paid for.',
    adminScope: 'TRAINING',
  },
  {
    key: PERMISSION.viewSupport,
    name: 'View technical support information',
    description: "See your organization's support cases and their history.",
    adminScope: 'AUTHORIZED_CALLER',
  },
  {
    key: PERMISSION.authorizedCallerActions,
    name: 'Take authorized caller actions',
    description: "Open and manage technical support cases in your organization's name.",
    adminScope: 'AUTHORIZED_CALLER',
  },
  {
    key: PERMISSION.downloadSoftware,
    name: 'Download software',
    description: 'Download the software and updates your organization is licensed for.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.manageLicensing,
    name: 'Manage licensing',
    description: "Get authorization codes and assign or return your organization's licenses.",
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.viewTransactions,
    name: 'View transactions and order history',
    description: 'See the quotes, orders and invoices of your organization.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.viewConferenceRegistrations,
    name: 'View User Conference registrations',
    description: 'See who from your organization is registered for the User Conference.',
    adminScope: 'FULL',
  },
  {
    key: PERMISSION.esriAccess,
    name: 'Esri access',
    description: "Use Esri's websites, forums and events as a member of your organization.",
    adminScope: 'FULL',
  },
];

/** Admin roles come first in forms; everything else is access to products and services. */
export const ADMIN_ROLE_PERMISSIONS: readonly string[] = [
  PERMISSION.administrator,
  PERMISSION.assignTraining,
  PERMISSION.assignAuthorizedCallers,
];
