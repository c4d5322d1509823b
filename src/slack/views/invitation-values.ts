/** The option values of the ⋯ menu on each pending invitation: written here, read back here. */

export type ManageVerb = 'resend' | 'edit' | 'revoke';

export function manageValue(verb: ManageVerb, invitationId: number): string {
  return `${verb}:${invitationId}`;
}

const MANAGE_VALUE = /^(resend|edit|revoke):([1-9]\d{0,15})$/;

/** The overflow menu's choice, or null for anything Gatehouse did not put there. */
export function parseManageValue(value: string): { verb: ManageVerb; invitationId: number } | null {
  const match = MANAGE_VALUE.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const invitationId = Number(match[2]);
  return Number.isSafeInteger(invitationId) ? { verb: match[1] as ManageVerb, invitationId } : null;
}
