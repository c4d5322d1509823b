/**
 * Slack mrkdwn as a token tree, with no DOM: the page turns the tree into nodes (text.ts), and the
 * parser is unit-tested in node. Nothing here produces HTML; entities are decoded into plain text.
 */

export type MrkdwnInline =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: MrkdwnInline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; url: string; children: MrkdwnInline[] }
  | { type: 'user'; id: string }
  | { type: 'channel'; id: string; name: string | null }
  | { type: 'broadcast'; name: string }
  | { type: 'date'; epoch: number; format: string; link: string | null; fallback: string }
  | { type: 'emoji'; name: string; unicode: string }
  | { type: 'linebreak' };

export type MrkdwnBlock =
  | { type: 'paragraph'; children: MrkdwnInline[] }
  | { type: 'pre'; text: string }
  | { type: 'quote'; children: MrkdwnBlock[] }
  | { type: 'list'; ordered: boolean; items: MrkdwnInline[][] };

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Slack escapes only these in message text; anything else stays as typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The emoji shortcodes Gatehouse's views use; any other `:name:` stays as typed. */
export const EMOJI: Readonly<Record<string, string>> = {
  warning: '⚠️',
  white_check_mark: '✅',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  leftwards_arrow_with_hook: '↩️',
  wave: '👋',
  telephone_receiver: '📞',
  raising_hand: '🙋',
  outbox_tray: '📤',
  lock: '🔒',
  mag: '🔍',
  key: '🔑',
  incoming_envelope: '📨',
  envelope_with_arrow: '📩',
  email: '📧',
  arrows_counterclockwise: '🔄',
  arrow_right: '➡️',
  alarm_clock: '⏰',
  tada: '🎉',
  x: '❌',
  calendar: '📆',
  envelope: '✉️',
  large_green_circle: '🟢',
  no_entry: '⛔',
  pencil2: '✏️',
};

const BULLET = /^\s*[•◦▪\-*]\s+(.*)$/;
const ORDERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const QUOTE = /^>\s?(.*)$/;

/** Parses one mrkdwn text object's `text` into blocks of inline tokens. */
export function parseMrkdwn(source: string): MrkdwnBlock[] {
  const blocks: MrkdwnBlock[] = [];
  const parts = source.split('```');
  parts.forEach((part, index) => {
    // Odd parts sit between a pair of fences; an unpaired last fence leaves plain text.
    const fenced = index % 2 === 1 && index < parts.length - 1;
    if (fenced) {
      blocks.push({ type: 'pre', text: decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')) });
    } else {
      let text = index % 2 === 1 ? `\`\`\`${part}` : part;
      if (index > 0) text = text.replace(/^\n/, '');
      if (index < parts.length - 1) text = text.replace(/\n$/, '');
      blocks.push(...parseLines(text));
    }
  });
  return blocks;
}

function parseLines(text: string): MrkdwnBlock[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const blocks: MrkdwnBlock[] = [];
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseInlineLines(paragraph) });
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (QUOTE.test(line)) {
      flushParagraph();
      const quoted: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index] ?? '')) {
        quoted.push(QUOTE.exec(lines[index] ?? '')?.[1] ?? '');
        index += 1;
      }
      index -= 1;
      blocks.push({ type: 'quote', children: parseLines(quoted.join('\n')) });
    } else if (BULLET.test(line) || ORDERED.test(line)) {
      flushParagraph();
      const ordered = !BULLET.test(line);
      const pattern = ordered ? ORDERED : BULLET;
      const items: MrkdwnInline[][] = [];
      while (index < lines.length && pattern.test(lines[index] ?? '')) {
        items.push(parseInline(pattern.exec(lines[index] ?? '')?.[1] ?? ''));
        index += 1;
      }
      index -= 1;
      blocks.push({ type: 'list', ordered, items });
    } else {
      paragraph.push(line);
    }
  }
  flushParagraph();
  return blocks;
}

function parseInlineLines(lines: string[]): MrkdwnInline[] {
  const nodes: MrkdwnInline[] = [];
  lines.forEach((line, index) => {
    if (index > 0) nodes.push({ type: 'linebreak' });
    nodes.push(...parseInline(line));
  });
  return nodes;
}

const SPAN_TYPES: Readonly<Record<string, 'bold' | 'italic' | 'strike'>> = { '*': 'bold', _: 'italic', '~': 'strike' };

/** Word boundary for a formatting character: start, end, whitespace or punctuation. */
function isBoundary(character: string | undefined): boolean {
  return character === undefined || /[\s.,;:!?()[\]{}'"/\\-]/.test(character);
}

/** Parses one line's inline formatting. Exported for tests of the token tree. */
export function parseInline(text: string): MrkdwnInline[] {
  const nodes: MrkdwnInline[] = [];
  let plain = '';
  const pushText = () => {
    if (plain !== '') nodes.push({ type: 'text', text: decodeEntities(plain) });
    plain = '';
  };
  let index = 0;
  while (index < text.length) {
    const character = text[index] ?? '';
    if (character === '<') {
      const end = text.indexOf('>', index + 1);
      if (end > index + 1) {
        const token = parseAngleToken(text.slice(index + 1, end));
        if (token) {
          pushText();
          nodes.push(token);
          index = end + 1;
          continue;
        }
      }
    }
    if (character === '`') {
      const end = text.indexOf('`', index + 1);
      if (end > index + 1) {
        pushText();
        nodes.push({ type: 'code', text: decodeEntities(text.slice(index + 1, end)) });
        index = end + 1;
        continue;
      }
    }
    if (character === ':') {
      const match = /^:([a-z0-9_+-]+):/.exec(text.slice(index));
      const unicode = match ? EMOJI[match[1] ?? ''] : undefined;
      if (match && unicode) {
        pushText();
        nodes.push({ type: 'emoji', name: match[1] ?? '', unicode });
        index += match[0].length;
        continue;
      }
    }
    const spanType = SPAN_TYPES[character];
    if (spanType && isBoundary(text[index - 1]) && text[index + 1] !== undefined && !/\s/.test(text[index + 1] ?? '')) {
      const end = findClosing(text, character, index + 1);
      if (end !== -1) {
        pushText();
        nodes.push({ type: spanType, children: parseInline(text.slice(index + 1, end)) });
        index = end + 1;
        continue;
      }
    }
    plain += character;
    index += 1;
  }
  pushText();
  return nodes;
}

function findClosing(text: string, delimiter: string, from: number): number {
  for (let index = from + 1; index < text.length; index += 1) {
    if (text[index] === delimiter && !/\s/.test(text[index - 1] ?? '') && isBoundary(text[index + 1])) return index;
    // A `<…>` token is never split by formatting.
    if (text[index] === '<') {
      const end = text.indexOf('>', index);
      if (end !== -1) index = end;
    }
  }
  return -1;
}

function parseAngleToken(inner: string): MrkdwnInline | null {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : inner.slice(bar + 1);
  if (/^@[UW][A-Z0-9]+$/.test(target)) return { type: 'user', id: target.slice(1) };
  if (/^#C[A-Z0-9]+$/.test(target)) return { type: 'channel', id: target.slice(1), name: label ? decodeEntities(label) : null };
  if (target.startsWith('!date^')) {
    const [, epoch, format, link] = target.split('^');
    const seconds = Number(epoch);
    if (!Number.isFinite(seconds) || format === undefined) return null;
    return { type: 'date', epoch: seconds, format, link: link ?? null, fallback: decodeEntities(label ?? '') };
  }
  if (/^!(here|channel|everyone)$/.test(target)) return { type: 'broadcast', name: target.slice(1) };
  if (target.startsWith('!subteam^')) return { type: 'broadcast', name: label ? decodeEntities(label).replace(/^@/, '') : 'group' };
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    const url = decodeEntities(target);
    return { type: 'link', url, children: label === null ? [{ type: 'text', text: url }] : parseInline(label) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Slack date tokens
// ---------------------------------------------------------------------------------------------

function ordinal(day: number): string {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th'}`;
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  weekday: string;
  monthLong: string;
  monthShort: string;
}

function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  const month = Number(get('month'));
  return {
    year: Number(get('year')),
    month,
    day: Number(get('day')),
    weekday: get('weekday'),
    monthLong: new Intl.DateTimeFormat('en-US', { timeZone, month: 'long' }).format(instant),
    monthShort: new Intl.DateTimeFormat('en-US', { timeZone, month: 'short' }).format(instant),
  };
}

/**
 * Whole calendar days from `now` to `instant`, both read in `timeZone`. Computed by hand rather than
 * with date-fns: this file runs in the browser as tsc compiles it, and with no bundler a bare
 * package import does not resolve there.
 * Two UTC midnights are whole days apart, so the division is exact.
 */
function dayDifference(instant: Date, now: Date, timeZone: string): number {
  const a = zonedParts(instant, timeZone);
  const b = zonedParts(now, timeZone);
  return Math.round((Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / 86_400_000);
}

function prettyDay(instant: Date, now: Date, timeZone: string): string | null {
  const difference = dayDifference(instant, now, timeZone);
  if (difference === 0) return 'today';
  if (difference === -1) return 'yesterday';
  if (difference === 1) return 'tomorrow';
  return null;
}

/**
 * What a `<!date^…>` token shows a reader in `timeZone`: Slack's format tokens replaced, the rest
 * of the format kept. `now` decides "today" / "yesterday" for the *_pretty tokens.
 */
export function formatSlackDate(epochSeconds: number, format: string, timeZone: string, now: Date): string {
  const instant = new Date(epochSeconds * 1000);
  const parts = zonedParts(instant, timeZone);
  const dateLong = `${parts.monthLong} ${ordinal(parts.day)}, ${parts.year}`;
  const dateShort = `${parts.monthShort} ${parts.day}, ${parts.year}`;
  const pretty = prettyDay(instant, now, timeZone);
  const time = (seconds: boolean) =>
    new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(
      instant,
    );
  const replacements: Record<string, () => string> = {
    date_num: () => `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`,
    date: () => dateLong,
    date_short: () => dateShort,
    date_long: () => `${parts.weekday}, ${dateLong}`,
    date_pretty: () => pretty ?? dateLong,
    date_short_pretty: () => pretty ?? dateShort,
    date_long_pretty: () => pretty ?? `${parts.weekday}, ${dateLong}`,
    time: () => time(false),
    time_secs: () => time(true),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, token: string) => replacements[token]?.() ?? whole);
}
