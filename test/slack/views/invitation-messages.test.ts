import { describe, expect, it } from 'vitest';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import {
  INVITATION_LANGUAGES,
  type InvitationCodeHandover,
  type InvitationLanguage,
  type InvitationMessageModel,
} from '../../../src/domain/read-models.js';
import { checkMessage, countBlockTextCharacters } from '../../../src/sandbox/index.js';
import { ACTION } from '../../../src/slack/views/ids.js';
import { confirmAcceptMessage } from '../../../src/slack/views/invitation-replies.js';
import {
  acceptButtonValue,
  invitationCodesMessage,
  invitationEmailedNotice,
  invitationDirectMessage,
  invitationEmail,
  parseAcceptButtonValue,
} from '../../../src/slack/views/invitation-messages.js';
import { ADA, allText, buttons, EVIL, expectInert, findAll, mrkdwnTexts, organization, permissions, person } from './fixtures.js';

/** Shaped like a real code (43 base64url characters), with the `_` and `-` that mrkdwn escaping would spoil. */
const CODE = 'q3Xv_9-kLmN0pQrStUvWxYz_A1b2C3d4E5f6G7h8I9j';
/** 10:30 in the morning in Los Angeles, the organization's time zone. */
const EXPIRES_AT = new Date('2027-01-06T18:30:00Z');

function invitation(overrides: Partial<InvitationMessageModel> = {}): InvitationMessageModel {
  return {
    invitationId: 314,
    language: 'en',
    organization: organization(),
    invitedBy: ADA,
    inviteeEmail: 'rita@redlands.example',
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    endsOn: '2099-12-31',
    caller: null,
    personalMessage: 'Welcome to the planning team!\nSee you on Monday.',
    expiresAt: EXPIRES_AT,
    code: CODE,
    ...overrides,
  };
}

/** Intl puts (narrow) no-break spaces in times and before French colons; the wording is what is checked. */
function spaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

interface Wording {
  subject: string;
  dmLead: string;
  emailLead: string;
  messageFrom: string;
  grants: string;
  ends: string;
  expiryFormat: string;
  expiryFallback: string;
  emailExpiry: string;
  orType: string;
  button: string;
  typeCommand: string;
}

const WORDING: Record<InvitationLanguage, Wording> = {
  en: {
    subject: 'Invitation to join City of Redlands (COR)',
    dmLead: '<@U0ADA> invited you to join *City of Redlands (COR)*.',
    emailLead: 'Ada Admin invited you to join City of Redlands (COR).',
    messageFrom: 'Message from <@U0ADA>:',
    grants: '*What you will be able to do*',
    ends: 'Your access lasts until the end of December 31, 2099.',
    expiryFormat: '{date_long} at {time}',
    expiryFallback: 'This invitation is valid until <!date^1799260200^{date_long} at {time}|January 6, 2027 at 10:30 AM PST>.',
    emailExpiry: 'This invitation is valid until January 6, 2027 at 10:30 AM PST.',
    orType: `You can also accept it by typing \`/access accept ${CODE}\`.`,
    button: 'Accept invitation',
    typeCommand: 'In Slack, type this command in any conversation and send it:',
  },
  es: {
    subject: 'Invitación para unirse a City of Redlands (COR)',
    dmLead: '<@U0ADA> le ha invitado a unirse a *City of Redlands (COR)*.',
    emailLead: 'Ada Admin le ha invitado a unirse a City of Redlands (COR).',
    messageFrom: 'Mensaje de <@U0ADA>:',
    grants: '*Lo que podrá hacer*',
    ends: 'Su acceso durará hasta el final del 31 de diciembre de 2099.',
    expiryFormat: '{date_long} a las {time}',
    expiryFallback: 'Esta invitación es válida hasta el <!date^1799260200^{date_long} a las {time}|6 de enero de 2027 a las 10:30 GMT-8>.',
    emailExpiry: 'Esta invitación es válida hasta el 6 de enero de 2027 a las 10:30 GMT-8.',
    orType: `También puede aceptarla escribiendo \`/access accept ${CODE}\`.`,
    button: 'Aceptar la invitación',
    typeCommand: 'En Slack, escriba este comando en cualquier conversación y envíelo:',
  },
  fr: {
    subject: 'Invitation à rejoindre City of Redlands (COR)',
    dmLead: '<@U0ADA> vous invite à rejoindre *City of Redlands (COR)*.',
    emailLead: 'Ada Admin vous invite à rejoindre City of Redlands (COR).',
    messageFrom: '<@U0ADA> vous écrit :',
    grants: '*Ce que vous pourrez faire*',
    ends: "Votre accès restera valable jusqu'au 31 décembre 2099 inclus.",
    expiryFormat: '{date_long} à {time}',
    expiryFallback: "Cette invitation est valable jusqu'au <!date^1799260200^{date_long} à {time}|6 janvier 2027 à 10:30 UTC−8>.",
    emailExpiry: "Cette invitation est valable jusqu'au 6 janvier 2027 à 10:30 UTC−8.",
    orType: `Vous pouvez aussi l'accepter en tapant \`/access accept ${CODE}\`.`,
    button: "Accepter l'invitation",
    typeCommand: "Dans Slack, tapez cette commande dans n'importe quelle conversation et envoyez-la :",
  },
};

describe.each(INVITATION_LANGUAGES)('an invitation in %s', (language) => {
  const wording = WORDING[language];
  const model = invitation({ language });

  it('is a DM that says who invited whom where, to do what, until when, with an Accept button', () => {
    const message = invitationDirectMessage(model);
    expect(checkMessage(message)).toEqual([]);
    const text = spaces(allText(message));
    expect(text).toContain(wording.subject);
    expect(text).toContain(wording.dmLead);
    expect(text).toContain(`*${wording.messageFrom}*\n> Welcome to the planning team!\n> See you on Monday.`);
    expect(text).toContain(
      `${wording.grants}\n• *Download software* — Download the software and updates your organization is licensed for.\n• *Esri access* — `,
    );
    expect(text).toContain(wording.ends);
    expect(text).toContain(wording.expiryFallback);
    expect(text).toContain(wording.orType);
    expect(spaces(message.text)).toBe(wording.emailLead);

    const [accept, ...others] = buttons(message);
    expect(others).toEqual([]);
    expect(accept).toMatchObject({ action_id: ACTION.acceptInvitation, value: `314.${CODE}`, style: 'primary' });
    expect(findAll(accept, (node) => node.type === 'plain_text')[0]?.text).toBe(wording.button);
  });

  it('is an email with the same content, the code, and how to use it', () => {
    const email = invitationEmail(model, { slashCommand: '/gatehouse' });
    expect(spaces(email.subject)).toBe(wording.subject);

    const text = spaces(email.text);
    expect(text).toContain(wording.emailLead);
    expect(text).toContain('> Welcome to the planning team!\n> See you on Monday.');
    expect(text).toContain('- Download software — Download the software and updates your organization is licensed for.');
    expect(text).toContain(wording.ends);
    expect(text).toContain(`${wording.typeCommand}\n\n    /gatehouse accept ${CODE}\n`);
    expect(text).toContain(wording.emailExpiry);
    expect(text).toContain('Ada Admin (ada@redlands.example)');
    expect(text).not.toContain('<!date');

    const html = spaces(email.html);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(`<strong>City of Redlands (COR)</strong>`);
    expect(html).toContain('<blockquote');
    expect(html).toContain('Welcome to the planning team!<br>See you on Monday.</blockquote>');
    expect(html).toContain(
      '<li><strong>Download software</strong> — Download the software and updates your organization is licensed for.</li>',
    );
    expect(html).toContain(`>/gatehouse accept ${CODE}</code>`);
    expect(html).toContain(wording.emailExpiry);
  });
});

describe('invitationDirectMessage', () => {
  it('names the support and caller level of an authorized-caller invitation, in the invitation’s language', () => {
    const premium = { supportLevel: 'PREMIUM', callerLevel: 'Backup' } as const;
    expect(allText(invitationDirectMessage(invitation({ caller: premium })))).toContain(
      'You will be an authorized caller for technical support (Premium support, caller level: Backup).',
    );
    expect(allText(invitationDirectMessage(invitation({ language: 'es', caller: premium })))).toContain(
      'Será contacto autorizado del soporte técnico (soporte Premium, nivel de contacto: suplente).',
    );
    expect(
      spaces(allText(invitationDirectMessage(invitation({ language: 'fr', caller: { supportLevel: 'STANDARD', callerLevel: null } })))),
    ).toContain('Vous serez appelant autorisé auprès du support technique (support Standard).');
  });

  it('tells someone already connected what they keep, gain and lose, and its button agrees to exactly those losses', () => {
    const change = {
      keeps: permissions(PERMISSION.manageLicensing),
      gains: permissions(PERMISSION.esriAccess),
      loses: permissions(PERMISSION.administrator),
    };
    const message = invitationDirectMessage(invitation({ change }));
    expect(checkMessage(message)).toEqual([]);
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toMatch(
      /You are already connected[^\n]*\n\*You keep\*\n• \*Manage licensing\*[^\n]*\n\*You gain\*\n• \*Esri access\*[^\n]*\n\*You lose\*\n• \*Administrator\*/,
    );
    const [accept] = buttons(message);
    expect(parseAcceptButtonValue(accept?.value ?? '')).toMatchObject({ confirmedLosses: [PERMISSION.administrator] });
    expect(allText(invitationDirectMessage(invitation({ language: 'es', change })))).toContain('Pierde');
    // Nothing to lose, nothing to agree to; someone new gets no such section.
    const keeps = invitationDirectMessage(invitation({ change: { ...change, loses: [] } }));
    expect(mrkdwnTexts(keeps).join('\n')).not.toContain('You lose');
    expect(parseAcceptButtonValue(buttons(keeps)[0]?.value ?? '')).toMatchObject({ confirmedLosses: [] });
    expect(allText(invitationDirectMessage(invitation()))).not.toContain('already connected');
  });

  it('leaves out the personal message, end date and caller details when there are none', () => {
    const message = invitationDirectMessage(invitation({ personalMessage: '  \n ', endsOn: null, caller: null }));
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).not.toMatch(/Message from|lasts until|authorized caller|^>/m);
    expect(text).toContain('valid until');
  });

  it('writes the first of the month the French way', () => {
    expect(allText(invitationDirectMessage(invitation({ language: 'fr', endsOn: '2100-01-01' })))).toContain(
      "jusqu'au 1er janvier 2100 inclus",
    );
  });

  it('names an inviter who is not a Slack user instead of mentioning them', () => {
    const text = allText(
      invitationDirectMessage(invitation({ invitedBy: person({ slackUserId: 'operator:cli', displayName: 'Gate Keeper' }) })),
    );
    expect(text).toContain('Gate Keeper invited you to join');
    expect(text).not.toContain('<@operator');
  });

  it('keeps a long personal message within the section limit, cut on the escaped text', () => {
    const message = invitationDirectMessage(invitation({ personalMessage: '<&>'.repeat(400) }));
    expect(checkMessage(message)).toEqual([]);
    const quote = mrkdwnTexts(message).find((text) => text.includes('&lt;&amp;&gt;'));
    expect(quote).toMatch(/^\*Message from <@U0ADA>:\*\n> (&lt;|&amp;|&gt;)+…$/);
    expect(quote?.length).toBeGreaterThan(2500);

    const longName = invitationDirectMessage(
      invitation({ invitedBy: person({ slackUserId: 'not-an-id', displayName: '&'.repeat(80) }), personalMessage: '<'.repeat(1000) }),
    );
    const longNameQuote = mrkdwnTexts(longName).find((text) => text.includes('&lt;&lt;'));
    expect(longNameQuote).toMatch(/^\*Message from (&amp;){80}:\*\n> (&lt;)+…$/);
    expect(longNameQuote?.length).toBeLessThanOrEqual(3000);
  });
});

describe('hostile text', () => {
  const hostile = invitation({
    organization: organization({ name: EVIL, acronym: EVIL }),
    invitedBy: person({ slackUserId: 'not-an-id', displayName: EVIL, email: EVIL }),
    personalMessage: `${EVIL}\n<script>alert(1)</script>`,
    permissions: [{ key: 'x', name: EVIL, description: EVIL, adminScope: 'FULL' }],
    caller: { supportLevel: 'PREMIUM', callerLevel: EVIL },
  });

  it.each(INVITATION_LANGUAGES)('is inert in the %s DM', (language) => {
    const message = invitationDirectMessage({ ...hostile, language });
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
    expect(mrkdwnTexts(message).join('\n')).toContain('&lt;!channel&gt;');
  });

  it.each(INVITATION_LANGUAGES)('is escaped in the %s email’s HTML', (language) => {
    const { html, subject } = invitationEmail({ ...hostile, language }, { slashCommand: '/access' });
    for (const raw of ['<!channel>', '<@U999>', '<http://evil|click>', '<script>']) expect(html).not.toContain(raw);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;!channel&gt; *x* _it_ ~s~ `c` &lt;@U999&gt; &lt;http://evil|click&gt;');
    expect(subject).not.toContain('\n');
  });

  it('is inert in the notice that an invitation went by email', () => {
    const message = invitationEmailedNotice({
      organization: organization({ name: EVIL, acronym: EVIL }),
      email: EVIL,
      slackError: 'user_disabled',
    });
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
  });

  it('is inert in the code handover', () => {
    const messages = invitationCodesMessage({
      organization: organization({ name: EVIL, acronym: EVIL }),
      invitations: [{ invitationId: 1, email: EVIL, code: CODE, expiresAt: EXPIRES_AT }],
      emailConfigured: false,
    });
    expect(messages).toHaveLength(1);
    for (const message of messages) {
      expect(checkMessage(message)).toEqual([]);
      expectInert(message);
    }
  });
});

describe('the Accept button value', () => {
  it('round-trips the invitation id and code', () => {
    expect(parseAcceptButtonValue(acceptButtonValue(314, CODE))).toEqual({ invitationId: 314, code: CODE, confirmedLosses: [] });
    const [accept] = buttons(invitationDirectMessage(invitation({ invitationId: 9_007_199_254_740_991 })));
    expect(parseAcceptButtonValue(accept?.value ?? '')).toEqual({ invitationId: 9_007_199_254_740_991, code: CODE, confirmedLosses: [] });
  });

  it('carries the permissions the invitee was shown they would lose', () => {
    expect(parseAcceptButtonValue(acceptButtonValue(314, CODE, ['administrator', 'manage_licensing']))).toEqual({
      invitationId: 314,
      code: CODE,
      confirmedLosses: ['administrator', 'manage_licensing'],
    });
  });

  it.each([
    '',
    '314',
    '314.',
    `.${CODE}`,
    `abc.${CODE}`,
    `0.${CODE}`,
    `-3.${CODE}`,
    `031.${CODE}`,
    `1e3.${CODE}`,
    `9007199254740993.${CODE}`,
    '314.two words',
    '314.a.b',
    `314.${CODE}\n`,
    `314.${'a'.repeat(257)}`,
    '314.<@U999>',
    `314.${CODE}:`,
    `314.${CODE}:Administrator`,
    `314.${CODE}:a,,b`,
  ])('rejects %j', (value) => {
    expect(parseAcceptButtonValue(value)).toBeNull();
  });
});

describe('confirmAcceptMessage', () => {
  it('lists what accepting changes, keeps the organization name inert, and offers to go ahead losing just those', () => {
    const change = {
      keeps: [],
      gains: permissions(PERMISSION.eLearning),
      loses: permissions(PERMISSION.administrator, PERMISSION.manageLicensing),
    };
    const message = confirmAcceptMessage({
      invitationId: 314,
      code: CODE,
      organization: organization({ name: EVIL, acronym: null }),
      change,
    });
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Nothing has changed yet');
    expect(text).toMatch(/\*You gain\*\n• \*Access e-Learning\*[^\n]*\n\*You lose\*\n• \*Administrator\*[^\n]*\n• \*Manage licensing\*/);
    const [accept] = buttons(message);
    expect(accept?.action_id).toBe(ACTION.acceptInvitation);
    expect(parseAcceptButtonValue(accept?.value ?? '')).toEqual({
      invitationId: 314,
      code: CODE,
      confirmedLosses: [PERMISSION.administrator, PERMISSION.manageLicensing],
    });
  });
});

describe('invitationCodesMessage', () => {
  function handover(count: number, overrides: Partial<InvitationCodeHandover> = {}): InvitationCodeHandover {
    return {
      organization: organization(),
      invitations: Array.from({ length: count }, (_, index) => ({
        invitationId: index + 1,
        email: `invitee.${index}@redlands.example`,
        code: `${CODE.slice(0, 30)}_${String(index).padStart(4, '0')}-x`,
        expiresAt: EXPIRES_AT,
      })),
      emailConfigured: false,
      ...overrides,
    };
  }

  it('lists each address with its code, and tells the admin why and how to hand them over', () => {
    const [message, ...more] = invitationCodesMessage(handover(2));
    expect(more).toEqual([]);
    if (!message) throw new Error('expected a message');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('2 invitations to *City of Redlands (COR)* could not be delivered.');
    expect(text).toContain('Gatehouse cannot send email because no mail server is configured');
    expect(text).toContain('types `/access accept CODE` with their own code');
    expect(text).toContain('The codes are valid until <!date^1799260200^{date_short} at {time}|2027-01-06 18:30 UTC>.');
    expect(text).toContain(
      `• invitee.0@redlands.example: \`${CODE.slice(0, 30)}_0000-x\`\n• invitee.1@redlands.example: \`${CODE.slice(0, 30)}_0001-x\``,
    );
    expect(text).not.toContain('part 1');
    expect(message.text).toBe('Invitation codes to hand over for City of Redlands (COR)');
  });

  it('words the reason differently when email is configured', () => {
    const text = allText(invitationCodesMessage(handover(1, { emailConfigured: true }))[0] ?? {});
    expect(text).toContain('1 invitation to *City of Redlands (COR)*');
    expect(text).toContain('the invitations were not sent by email');
    expect(text).not.toContain('no mail server');
  });

  it('gives each code its own expiry when they differ', () => {
    const base = handover(2);
    const [first, second] = base.invitations;
    if (!first || !second) throw new Error('expected two invitations');
    const text = allText(
      invitationCodesMessage({ ...base, invitations: [first, { ...second, expiresAt: new Date('2027-02-01T00:00:00Z') }] })[0] ?? {},
    );
    expect(text).not.toContain('The codes are valid until');
    expect(text).toContain('_0000-x`  ·  valid until <!date^1799260200^');
    expect(text).toContain('_0001-x`  ·  valid until <!date^1801440000^');
  });

  it('sends nothing when there is nothing to hand over', () => {
    expect(invitationCodesMessage(handover(0))).toEqual([]);
  });

  it('says which invitees have an account that refused the DM, and why', () => {
    const base = handover(2);
    const [first, second] = base.invitations;
    if (!first || !second) throw new Error('expected two invitations');
    const mixed = allText(invitationCodesMessage({ ...base, invitations: [first, { ...second, slackError: 'user_disabled' }] })[0] ?? {});
    expect(mixed).toContain(
      'No one in this Slack workspace uses some of these addresses, and Slack would not deliver a DM to the accounts with the others',
    );
    expect(mixed).toContain('_0000-x`\n');
    expect(mixed).toContain('_0001-x`  ·  Slack refused the DM: `user_disabled`');
    const refused = allText(invitationCodesMessage({ ...base, invitations: [{ ...first, slackError: 'account_inactive' }] })[0] ?? {});
    expect(refused).toContain('Slack would not deliver a DM to the accounts with these addresses, and Gatehouse cannot send email');
    expect(refused).not.toContain('No one in this Slack workspace');
  });

  it.each([
    ['ordinary addresses', handover(1000)],
    [
      'very long addresses and different expiries',
      {
        ...handover(1000),
        invitations: handover(1000).invitations.map((entry, index) => ({
          ...entry,
          email: `${'&'.repeat(230)}${index}@x.example`,
          expiresAt: new Date(EXPIRES_AT.getTime() + index * 60_000),
        })),
      },
    ],
  ])('splits 1000 invitees (%s) over messages within Slack’s limits, listing every code once', (_label, input) => {
    const messages = invitationCodesMessage(input);
    expect(messages.length).toBeGreaterThan(1);
    const listed: string[] = [];
    messages.forEach((message, index) => {
      expect(checkMessage(message)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(countBlockTextCharacters(message.blocks)).toBeLessThan(12_000);
      expect(allText(message)).toContain(`(part ${index + 1} of ${messages.length})`);
      for (const text of mrkdwnTexts(message)) {
        listed.push(...[...text.matchAll(/^• .*?: `([^`]+)`/gm)].map((match) => match[1] ?? ''));
      }
    });
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(input.invitations.map((entry) => entry.code)));
  });
});
