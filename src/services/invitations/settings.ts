/** What the invitation services need from the app's configuration. */
export interface InvitationSettings {
  /** Seals codes while they wait in the outbox (see invitationSealingKey). */
  sealingKey: Buffer;
}
