import { recordAudit } from '../audit/auditTrail.js';
import type { Db } from '../db.js';
import { NotFound } from '../errors.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';
import { splitContactDetails } from '../messages/contactDetailsInText.js';
import { inboundContentSchema } from '../messages/messageTypes.js';

/** A person's message shown again to one staff member, or the news that its content was purged. */
export type ContactReveal =
  | { status: 'purged' }
  | { status: 'shown'; text: string; reference: string; slackChannelId: string | null; slackTs: string | null };

/**
 * The text of a person's message about a request, read again from the stored inbound Message
 * (never from Slack), for a staff member who may act on its request; audited as
 * `message.contact_revealed` with how many phone numbers and e-mail addresses it holds, never
 * which. After MESSAGE_RETENTION_DAYS the content is gone: `purged`.
 */
export async function revealContactDetails(db: Db, staff: StaffActor, messageId: string): Promise<ContactReveal> {
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: {
      id: true,
      direction: true,
      content: true,
      request: { select: { id: true, reference: true, associationId: true, slackChannelId: true, slackTs: true } },
    },
  });
  if (message?.direction !== 'INBOUND' || !message.request) throw new NotFound('message');
  const request = message.request;
  assertCanActOnRequest(staff, request);
  if (message.content === null) return { status: 'purged' };
  const content = inboundContentSchema.safeParse(message.content);
  if (!content.success || content.data.kind !== 'text') throw new NotFound('message');
  const pieces = splitContactDetails(content.data.text);
  const count = (kind: 'phone' | 'email') => pieces.filter((p) => p.kind === kind).length;
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorType: 'STAFF',
      actorId: staff.id,
      action: 'message.contact_revealed',
      entityType: 'Message',
      entityId: message.id,
      associationId: request.associationId,
      data: { requestId: request.id, phones: count('phone'), emails: count('email') },
    }),
  );
  const { reference, slackChannelId, slackTs } = request;
  return { status: 'shown', text: content.data.text, reference, slackChannelId, slackTs };
}
