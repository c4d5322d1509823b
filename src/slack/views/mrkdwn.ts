/**
 * Makes user-supplied text inert inside Slack mrkdwn: `<!channel>`, `<@U…>` and `<url|label>` need
 * the angle brackets, so escaping them (and `&`) leaves only the literal characters.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a Block Kit limit, marking the cut. */
export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
