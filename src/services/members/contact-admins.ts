/**
 * `/access contact`: a member's message to every Administrator of an organization they belong to,
 * a few a day at most. Each message sent is recorded, so the limit holds across replicas.
 */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { connectionsTo, memberBySlackId } from '../../db/joined-reads.js';
import { LOCK, lockKeys } from '../../db/locks.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { DomainError } from '../../domain/errors.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { contactLimitReason, contactMessageSchema, contactWindowStart, type AdminContactNotice } from '../../domain/self-service.js';
import { enqueue } from '../outbox.js';
import { administratorsOf, organizationSummary, personSummary } from '../read-models.js';

const NOT_A_MEMBER = 'You can write only to the Administrators of organizations you belong to.';

/** The message as the form gave it, or the form's refusal. */
export function contactMessageOf(text: string | null): string {
  const parsed = contactMessageSchema.safeParse(text ?? '');
  if (!parsed.success) throw DomainError.ofFields({ message: parsed.error.issues[0]?.message ?? 'Write a message.' });
  return parsed.data;
}

export async function contactAdministrators(
  prisma: Db,
  input: { slackUserId: string; organizationId: number; message: string | null },
  now: Date,
): Promise<{ organization: OrganizationSummary; administratorsTold: number }> {
  const message = contactMessageOf(input.message);
  return prisma.$transaction(async (tx) => {
    const sql = sqlOf(tx);
    const member = await memberBySlackId(tx, input.slackUserId);
    const [organizationRow] = await sql.rows(sql.build.selectFrom('Organization').selectAll().where('id', '=', input.organizationId));
    if (!member || !organizationRow) throw DomainError.ofFields({ organization: NOT_A_MEMBER }, 'forbidden');
    const organization = organizationSummary(organizationRow);
    // Taken before counting: two messages sent at once are counted one after the other, so neither slips past the limit.
    await lockKeys(tx, LOCK.adminContacts(member.id, organization.id));
    const [connection] = await connectionsTo(tx, organization.id, [member.id]);
    if (!connection || connection.status === 'REMOVED') throw DomainError.ofFields({ organization: NOT_A_MEMBER }, 'forbidden');
    const administrators = (await administratorsOf(tx, organization.id, now))
      .map(personSummary)
      .filter((administrator) => administrator.slackUserId !== input.slackUserId);
    if (administrators.length === 0) {
      throw DomainError.ofFields(
        { organization: `${organization.name} has no other Administrator right now: ask Gatehouse's operators to add one.` },
        'no_administrator',
      );
    }
    const [counted] = await sql.rows(
      sql.build
        .selectFrom('AdminContact')
        .select((eb) => eb.fn.countAll<number>().as('sent'))
        .where('memberId', '=', member.id)
        .where('organizationId', '=', organization.id)
        .where('createdAt', '>', contactWindowStart(now)),
    );
    const overLimit = contactLimitReason(Number(counted?.sent ?? 0), organization.name);
    if (overLimit) throw DomainError.ofFields({ message: overLimit }, 'rate_limited');
    await sql.execute(
      sql.build.insertInto('AdminContact').values({ memberId: member.id, organizationId: organization.id, createdAt: now }),
    );
    const notices: OutboxItem[] = administrators.map((administrator) => ({
      kind: 'admins.contacted',
      organizationId: organization.id,
      fromSlackUserId: input.slackUserId,
      message,
      sentAt: now.toISOString(),
      userId: administrator.slackUserId,
    }));
    await enqueue(tx, notices, now);
    return { organization, administratorsTold: administrators.length };
  }, TRANSACTION_OPTIONS);
}

/** What one Administrator is shown of a member's message; null when the organization is gone. */
export async function adminContactNotice(
  reader: SqlTarget,
  item: { organizationId: number; fromSlackUserId: string; message: string; sentAt: string },
): Promise<AdminContactNotice | null> {
  const sql = sqlOf(reader);
  const [organization] = await sql.rows(sql.build.selectFrom('Organization').selectAll().where('id', '=', item.organizationId));
  if (!organization) return null;
  const member = await memberBySlackId(reader, item.fromSlackUserId);
  const from = member ? personSummary(member) : { slackUserId: item.fromSlackUserId, displayName: item.fromSlackUserId, email: null };
  return { organization: organizationSummary(organization), from, message: item.message, at: new Date(item.sentAt) };
}
