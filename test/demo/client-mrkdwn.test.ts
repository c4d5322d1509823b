import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEntities, EMOJI, formatSlackDate, parseInline, parseMrkdwn } from '../../src/demo/client/mrkdwn.js';
import { endDate, onDateTime, prettyDateTime } from '../../src/slack/views/format.js';
import { escapeMrkdwn } from '../../src/slack/views/mrkdwn.js';

describe('parseInline', () => {
  it('reads bold, italic, strike and code, nested where Slack nests them', () => {
    expect(parseInline('*Approved* by _you_ ~never~ `code *not bold*`')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Approved' }] },
      { type: 'text', text: ' by ' },
      { type: 'italic', children: [{ type: 'text', text: 'you' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'never' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'code *not bold*' },
    ]);
    expect(parseInline('*_both_*')).toEqual([{ type: 'bold', children: [{ type: 'italic', children: [{ type: 'text', text: 'both' }] }] }]);
  });

  it('leaves lone and mid-word formatting characters as text', () => {
    expect(parseInline('2 * 3 = 6 and snake_case_name')).toEqual([{ type: 'text', text: '2 * 3 = 6 and snake_case_name' }]);
    expect(parseInline('*unclosed')).toEqual([{ type: 'text', text: '*unclosed' }]);
  });

  it('reads links, mentions, channels and broadcasts', () => {
    expect(
      parseInline(
        '<https://example.com/a?b=1&amp;c=2|the *docs*> <https://x.test> <@U0DEMOADA> <#C0DEMOADMINS|redlands-admins> <#C0OTHER> <!here>',
      ),
    ).toEqual([
      {
        type: 'link',
        url: 'https://example.com/a?b=1&c=2',
        children: [
          { type: 'text', text: 'the ' },
          { type: 'bold', children: [{ type: 'text', text: 'docs' }] },
        ],
      },
      { type: 'text', text: ' ' },
      { type: 'link', url: 'https://x.test', children: [{ type: 'text', text: 'https://x.test' }] },
      { type: 'text', text: ' ' },
      { type: 'user', id: 'U0DEMOADA' },
      { type: 'text', text: ' ' },
      { type: 'channel', id: 'C0DEMOADMINS', name: 'redlands-admins' },
      { type: 'text', text: ' ' },
      { type: 'channel', id: 'C0OTHER', name: null },
      { type: 'text', text: ' ' },
      { type: 'broadcast', name: 'here' },
    ]);
  });

  it('shows the emoji shortcodes Gatehouse uses, and leaves others and times as typed', () => {
    expect(parseInline(':white_check_mark: Approved at 10:15:30, :not_an_emoji:')).toEqual([
      { type: 'emoji', name: 'white_check_mark', unicode: '✅' },
      { type: 'text', text: ' Approved at 10:15:30, :not_an_emoji:' },
    ]);
  });

  it('reads date tokens with their format, optional link and fallback', () => {
    expect(parseInline('<!date^1764583200^{date_short} at {time}|2025-12-01 10:00 UTC>')).toEqual([
      { type: 'date', epoch: 1764583200, format: '{date_short} at {time}', link: null, fallback: '2025-12-01 10:00 UTC' },
    ]);
    expect(parseInline('<!date^1764583200^{date}^https://example.com|fallback>')[0]).toMatchObject({ link: 'https://example.com' });
  });
});

describe('parseMrkdwn', () => {
  it('reads paragraphs with line breaks, quotes, lists and preformatted blocks', () => {
    expect(
      parseMrkdwn('First line\nsecond\n> quoted *text*\n> more\n• one\n• two\n1. first\n2. second\n```\nconst a = 1;\n```\nafter'),
    ).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'First line' }, { type: 'linebreak' }, { type: 'text', text: 'second' }] },
      {
        type: 'quote',
        children: [
          {
            type: 'paragraph',
            children: [
              { type: 'text', text: 'quoted ' },
              { type: 'bold', children: [{ type: 'text', text: 'text' }] },
              { type: 'linebreak' },
              { type: 'text', text: 'more' },
            ],
          },
        ],
      },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] },
      { type: 'pre', text: 'const a = 1;' },
      { type: 'paragraph', children: [{ type: 'text', text: 'after' }] },
    ]);
  });

  it("keeps Gatehouse's bullet lists of permissions as lists", () => {
    expect(parseMrkdwn('• Download software\n• Esri access  _(added by your administrator)_')).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [
          [{ type: 'text', text: 'Download software' }],
          [
            { type: 'text', text: 'Esri access  ' },
            { type: 'italic', children: [{ type: 'text', text: '(added by your administrator)' }] },
          ],
        ],
      },
    ]);
  });
});

describe('escaping', () => {
  it('keeps a <script> in user text as text, decoding the entities Slack uses', () => {
    const typed = '<script>alert("x")</script> & <@U0DEMOADA> *bold*';
    const blocks = parseMrkdwn(`Purpose: ${escapeMrkdwn(typed)}`);
    expect(blocks).toHaveLength(1);
    const paragraph = blocks[0]!;
    expect(paragraph.type).toBe('paragraph');
    const children = paragraph.type === 'paragraph' ? paragraph.children : [];
    // One plain text node: no mention, no bold, no element of any kind.
    expect(children).toEqual([{ type: 'text', text: `Purpose: <script>alert("x")</script> & <@U0DEMOADA> \u2217bold\u2217` }]);
    expect(decodeEntities('&lt;b&gt; &amp;amp;')).toBe('<b> &amp;');
  });

  it('never treats an escaped > as a quote', () => {
    expect(parseMrkdwn(escapeMrkdwn('> not a quote'))).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '> not a quote' }] },
    ]);
  });
});

describe('formatSlackDate', () => {
  // 2026-12-01 07:30:15 UTC: still November 30th in Los Angeles, already the 1st in London.
  const epoch = Date.UTC(2026, 11, 1, 7, 30, 15) / 1000;
  const now = new Date(Date.UTC(2026, 11, 1, 12, 0, 0));

  it("shows each token in the reader's time zone", () => {
    expect(formatSlackDate(epoch, '{date_num} {time} {time_secs}', 'America/Los_Angeles', now)).toBe('2026-11-30 11:30 PM 11:30:15 PM');
    expect(formatSlackDate(epoch, '{date_num} {time} {time_secs}', 'Europe/London', now)).toBe('2026-12-01 7:30 AM 7:30:15 AM');
    expect(formatSlackDate(epoch, '{date} | {date_short} | {date_long}', 'America/Los_Angeles', now)).toBe(
      'November 30th, 2026 | Nov 30, 2026 | Monday, November 30th, 2026',
    );
    expect(formatSlackDate(epoch, '{date} | {date_short} | {date_long}', 'Europe/London', now)).toBe(
      'December 1st, 2026 | Dec 1, 2026 | Tuesday, December 1st, 2026',
    );
  });

  it('says today, yesterday or tomorrow for the pretty tokens, relative to the given now', () => {
    expect(formatSlackDate(epoch, '{date_pretty}', 'America/Los_Angeles', now)).toBe('yesterday');
    expect(formatSlackDate(epoch, '{date_short_pretty}', 'Europe/London', now)).toBe('today');
    expect(formatSlackDate(epoch, '{date_long_pretty}', 'Europe/London', new Date(Date.UTC(2026, 10, 30, 12)))).toBe('tomorrow');
    expect(formatSlackDate(epoch, '{date_long_pretty}', 'Europe/London', new Date(Date.UTC(2026, 10, 1)))).toBe(
      'Tuesday, December 1st, 2026',
    );
    expect(formatSlackDate(epoch, 'on {unknown}', 'Europe/London', now)).toBe('on {unknown}');
  });

  it("reads Gatehouse's own date tokens", () => {
    const instant = new Date(Date.UTC(2026, 11, 1, 18, 15));
    const [token] = parseInline(onDateTime(instant));
    expect(token?.type === 'date' && formatSlackDate(token.epoch, token.format, 'America/New_York', now)).toBe('Dec 1, 2026 at 1:15 PM');
    const [pretty] = parseInline(prettyDateTime(instant));
    expect(pretty?.type === 'date' && formatSlackDate(pretty.epoch, pretty.format, 'America/Los_Angeles', now)).toBe('today at 10:15 AM');
    const [ends] = parseInline(endDate(new Date(Date.UTC(2026, 11, 8, 8)), '2026-12-07')!);
    expect(ends?.type === 'date' && formatSlackDate(ends.epoch, ends.format, 'America/Los_Angeles', now)).toBe(
      'Monday, December 7th, 2026 at 11:59 PM',
    );
    expect(ends?.type === 'date' && ends.fallback).toBe('December 7, 2026, end of day');
  });
});

describe('the emoji the views use', () => {
  it('are all drawn by the web client, so no shortcode shows as typed', () => {
    const viewsDir = path.resolve(import.meta.dirname, '../../src/slack/views');
    const used = new Set<string>();
    for (const file of readdirSync(viewsDir).filter((name) => name.endsWith('.ts'))) {
      // Shortcodes as the views write them: in string literals, after a quote, a space or a line start.
      for (const match of readFileSync(path.join(viewsDir, file), 'utf8').matchAll(/(?<=['`\s(]):([a-z][a-z0-9_]{2,}):(?=[\s'`])/g)) {
        used.add(match[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !(name in EMOJI)).sort()).toEqual([]);
  });
});
