import { describe, expect, it } from 'vitest';
import {
  calendarDateLabel,
  endDate,
  mention,
  mrkdwn,
  onDateTime,
  organizationLabel,
  permissionBullets,
  plain,
  slackDate,
  splitPermissions,
} from '../../../src/slack/views/format.js';
import { escapeMrkdwn, truncate } from '../../../src/slack/views/mrkdwn.js';
import { CATALOG, EVIL, organization, person, permissions } from './fixtures.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';

describe('escapeMrkdwn', () => {
  it('keeps escaping &, < and > so tokens cannot form', () => {
    expect(escapeMrkdwn('a & <b> <!here>')).toBe('a &amp; &lt;b&gt; &lt;!here&gt;');
  });

  it('swaps formatting characters for look-alikes so nothing is bolded, italicised, struck or coded', () => {
    const escaped = escapeMrkdwn(EVIL);
    expect(escaped).not.toMatch(/[*_~`<>]/);
    expect(escaped).toContain('∗x∗');
    expect(escaped).toContain('ˍitˍ');
    expect(escaped).toContain('∼s∼');
    expect(escaped).toContain('ˋcˋ');
    expect(escaped).toContain('&lt;!channel&gt;');
  });

  it('leaves ordinary text alone', () => {
    expect(escapeMrkdwn('City of Redlands (COR), 100200')).toBe('City of Redlands (COR), 100200');
  });
});

describe('truncate', () => {
  it('cuts to the limit and marks the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('never splits an emoji in half', () => {
    const cut = truncate('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe('text objects', () => {
  it('never makes an empty text object, which Slack rejects', () => {
    expect(plain('  ').text).toBe('—');
    expect(mrkdwn('').text).toBe('—');
  });

  it('marks mrkdwn verbatim so bare links and names are not auto-parsed', () => {
    expect(mrkdwn('hi')).toEqual({ type: 'mrkdwn', text: 'hi', verbatim: true });
  });
});

describe('mention', () => {
  it('mentions real Slack user ids', () => {
    expect(mention(person({ slackUserId: 'U0RITA' }))).toBe('<@U0RITA>');
    expect(mention(person({ slackUserId: 'W0ENTERPRISE' }))).toBe('<@W0ENTERPRISE>');
  });

  it('falls back to the escaped name for anything that is not a user id', () => {
    expect(mention(person({ slackUserId: 'U1>|<!channel', displayName: EVIL }))).not.toMatch(/[<>*_~`]/);
    expect(mention(person({ slackUserId: 'u0lower', displayName: 'Rita' }))).toBe('Rita');
  });
});

describe('dates', () => {
  it('writes Slack date tokens with a UTC fallback', () => {
    expect(onDateTime(new Date('2026-11-21T09:05:30Z'))).toBe(
      `<!date^${Date.UTC(2026, 10, 21, 9, 5, 30) / 1000}^{date_short} at {time}|2026-11-21 09:05 UTC>`,
    );
  });

  it('keeps the fallback from ending the token early', () => {
    expect(slackDate(new Date(0), '{date}', 'a|b>c')).toBe('<!date^0^{date}|a/b&gt;c>');
  });

  it('names calendar dates without time zones getting in the way', () => {
    expect(calendarDateLabel('2099-12-31')).toBe('December 31, 2099');
    expect(calendarDateLabel('2026-02-01')).toBe('February 1, 2026');
    expect(calendarDateLabel('soon')).toBe('soon');
  });

  it('shows the last moment of access, with the calendar date as fallback', () => {
    const endsAt = new Date('2100-01-01T08:00:00Z');
    expect(endDate(endsAt, '2099-12-31')).toBe(
      `<!date^${endsAt.getTime() / 1000 - 1}^{date_long} at {time}|December 31, 2099, end of day>`,
    );
    expect(endDate(null, '2099-12-31')).toBe('December 31, 2099');
    expect(endDate(null, null)).toBeNull();
  });
});

describe('organizations and permissions', () => {
  it('labels an organization with its acronym', () => {
    expect(organizationLabel(organization())).toBe('City of Redlands (COR)');
    expect(organizationLabel(organization({ acronym: null }))).toBe('City of Redlands');
  });

  it('splits the catalog into admin roles and access, each within ten checkboxes', () => {
    const { adminRoles, access } = splitPermissions(CATALOG);
    expect(adminRoles.map((permission) => permission.key)).toEqual([
      PERMISSION.administrator,
      PERMISSION.assignTraining,
      PERMISSION.assignAuthorizedCallers,
    ]);
    expect(access).toHaveLength(CATALOG.length - 3);
    expect(access.length).toBeLessThanOrEqual(10);
  });

  it('bullets permission names with remarks', () => {
    expect(permissionBullets(permissions(PERMISSION.esriAccess), () => 'new')).toBe('• Esri access  _(new)_');
  });
});
