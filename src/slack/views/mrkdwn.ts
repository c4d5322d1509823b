/**
 * Look-alikes for the characters Slack mrkdwn formats with. Escaping them is not possible (mrkdwn
 * has no backslash escapes), so user text gets a character that looks the same but means nothing
 * to Slack's parser.
 */
const FORMATTING_LOOK_ALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
};

/**
 * Makes user-supplied text inert inside Slack mrkdwn. `<!channel>`, `<@U…>` and `<url|label>` need
 * the angle brackets, so escaping them (and `&`) leaves only the literal characters. Bold, italics,
 * strikethrough and code need `*`, `_`, `~` and `` ` ``, which are swapped for look-alikes: the text
 * reads the same but is never formatted, and no span can pair up with formatting Gatehouse wrote
 * around it. Use plain_text objects instead where the surrounding text needs no mrkdwn at all.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (character) => FORMATTING_LOOK_ALIKES[character] ?? character);
}

/** Cuts text to a Block Kit limit, marking the cut; never splits an emoji's surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const lastKept = text.charCodeAt(end - 1);
  if (lastKept >= 0xd800 && lastKept <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
