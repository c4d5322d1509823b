import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import type { InvitationMessageModel } from '../../src/domain/read-models.js';
import { createMailer, MailDeliveryError, type Mailer } from '../../src/mail/mailer.js';
import { startSmtpServer, type SmtpSandbox } from '../../src/sandbox/index.js';
import { invitationEmail } from '../../src/slack/views/invitation-messages.js';
import { ADA, organization, permissions } from '../slack/views/fixtures.js';

const FROM = 'Gatehouse <gatehouse@gatehouse.example>';
const CODE = 'Zq8_Lw-3nVt0bXkR5yHc_Dm2Ja7Ps9Ue4Gi6Of1Wh-T';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function smtpServer(options?: Parameters<typeof startSmtpServer>[0]): Promise<SmtpSandbox> {
  const server = await startSmtpServer(options);
  cleanup.push(() => server.close());
  return server;
}

function mailer(url: string): Mailer {
  const created = createMailer({ url, from: FROM });
  cleanup.push(() => created.close());
  return created;
}

function invitation(overrides: Partial<InvitationMessageModel> = {}): InvitationMessageModel {
  return {
    invitationId: 77,
    language: 'es',
    organization: organization(),
    invitedBy: ADA,
    inviteeEmail: 'rita@redlands.example',
    permissions: permissions(PERMISSION.eLearning),
    endsOn: null,
    caller: null,
    personalMessage: '¡Bienvenida al equipo!',
    expiresAt: new Date('2027-01-06T18:30:00Z'),
    code: CODE,
    ...overrides,
  };
}

async function failure(sending: Promise<unknown>): Promise<MailDeliveryError> {
  const error: unknown = await sending.then(
    () => new Error('expected the delivery to fail'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(MailDeliveryError);
  return error as MailDeliveryError;
}

describe('createMailer', () => {
  it('delivers an invitation email that arrives with its recipient, language and code intact', async () => {
    const server = await smtpServer();
    const email = invitationEmail(invitation(), { slashCommand: '/access' });

    const sent = await mailer(server.url).send({ to: 'rita@redlands.example', ...email });

    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    const [received, ...others] = await server.waitForMessages(1);
    expect(others).toEqual([]);
    expect(received?.to).toEqual(['rita@redlands.example']);
    expect(received?.from).toBe('gatehouse@gatehouse.example');
    expect(received?.subject).toBe('Invitación para unirse a City of Redlands (COR)');
    expect(received?.text).toContain('Ada Admin le ha invitado a unirse a City of Redlands (COR).');
    expect(received?.text).toContain('> ¡Bienvenida al equipo!');
    expect(received?.text).toContain('En Slack, escriba este comando en cualquier conversación y envíelo:');
    expect(/\/access accept (\S+)/.exec(received?.text ?? '')?.[1]).toBe(CODE);
    expect(received?.html).toContain('<html lang="es">');
    expect(received?.html).toContain(`/access accept ${CODE}</code>`);
    expect(received?.raw).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
  });

  it('reports a rejected mailbox as permanent', async () => {
    const server = await smtpServer({
      rejectRecipients: (address) => (address === 'nobody@redlands.example' ? { code: 550, message: 'No such user here' } : null),
    });
    const email = invitationEmail(invitation({ language: 'fr' }), { slashCommand: '/access' });

    const error = await failure(mailer(server.url).send({ to: 'nobody@redlands.example', ...email }));

    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(550);
    expect(error.message).toContain('No such user here');
    expect(server.messages).toEqual([]);
  });

  it('reports a temporary refusal as retryable, and the retry goes through', async () => {
    const server = await smtpServer();
    const send = mailer(server.url);
    const email = invitationEmail(invitation({ language: 'fr' }), { slashCommand: '/access' });
    server.failNext(1, 451, 'Greylisted, try again later');

    const error = await failure(send.send({ to: 'rita@redlands.example', ...email }));
    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBe(451);
    expect(server.messages).toEqual([]);

    await send.send({ to: 'rita@redlands.example', ...email });
    const received = await server.waitForMessages(1);
    expect(received.map((mail) => mail.subject)).toEqual(['Invitation à rejoindre City of Redlands (COR)']);
  });

  it('authenticates with the credentials in the URL, and a wrong password is a permanent failure', async () => {
    const server = await smtpServer({ authRequired: true });
    const url = new URL(server.url);
    expect(url.username).not.toBe('');
    const email = invitationEmail(invitation({ language: 'en' }), { slashCommand: '/access' });

    await mailer(server.url).send({ to: 'rita@redlands.example', ...email });
    expect((await server.waitForMessages(1))[0]?.subject).toBe('Invitation to join City of Redlands (COR)');

    url.password = 'wrong';
    const wrongPassword = await failure(mailer(url.toString()).send({ to: 'rita@redlands.example', ...email }));
    expect(wrongPassword.retryable).toBe(false);
    expect(wrongPassword.responseCode).toBe(535);

    url.username = '';
    url.password = '';
    const anonymous = await failure(mailer(url.toString()).send({ to: 'rita@redlands.example', ...email }));
    expect(anonymous.retryable).toBe(false);
    expect(anonymous.responseCode).toBe(530);
    expect(server.messages).toHaveLength(1);
  });

  it('fails fast and retryably when nothing listens on the port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const email = invitationEmail(invitation(), { slashCommand: '/access' });

    const started = Date.now();
    const error = await failure(mailer(`smtp://127.0.0.1:${port}`).send({ to: 'rita@redlands.example', ...email }));

    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBeNull();
  });
});
