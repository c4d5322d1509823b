/**
 * A rule said no. The message is written for the person who asked, so listeners and the CLI can
 * show it as it is.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
