import { z } from 'zod';
import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { NotFound, RelaisError } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import { richNodeSchema, richTextFor } from '../messages/richText.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueMessageToContact } from '../outbound/queueMessageToContact.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { OPEN_STATUSES } from './requestStatus.js';

/** Task queued after a volunteer's reply: puts the person in the volunteer chat so their answer reaches the thread. */
export const STAFF_REPLIED_TASK = 'request.staffReplied';

/** Longest reply that fits in one message on every channel (Telegram: 4096, minus the header). */
export const STAFF_REPLY_MAX = 3900;

export class InvalidStaffReply extends RelaisError {
  constructor(reason: string) {
    super('RELAIS_INVALID_STAFF_REPLY', reason, 400);
  }
}

const staffReplySchema = z.object({
  requestId: z.string().uuid(),
  staffId: z.string().min(1),
  text: z.string().trim().min(1, 'empty reply').max(STAFF_REPLY_MAX, 'reply too long'),
  /** the same reply with its formatting, rendered for the person's channel (`text` is its plain form) */
  formatted: z.array(richNodeSchema).optional(),
});

/**
 * A volunteer's reply to a person about one request: written to the outbox for the person's
 * most recent account, in their language behind a "💬 Volunteer" header and the reference,
 * with the volunteer's text as typed (its `formatted` form, when given, rendered for the person's
 * channel: WhatsApp's markup, plain text elsewhere); linked to the request and audited (`request.replied`,
 * without the text). Returns the message to dispatch after commit, or null when the person
 * cannot be reached (erased, paused with "stop", or no account left). Throws NotFound for an
 * unknown request and InvalidStaffReply for an empty or too long text.
 */
export async function sendStaffReply(
  tx: Tx,
  i18n: I18n,
  input: z.input<typeof staffReplySchema>,
): Promise<DispatchableMessage | null> {
  const parsed = staffReplySchema.safeParse(input);
  if (!parsed.success) throw new InvalidStaffReply(parsed.error.issues.map((i) => i.message).join(', '));
  const { requestId, staffId, text, formatted } = parsed.data;
  const request = await tx.request.findUnique({
    where: { id: requestId },
    select: {
      reference: true,
      status: true,
      associationId: true,
      language: true,
      contactId: true,
      contact: { select: { status: true, language: true } },
    },
  });
  if (!request) throw new NotFound('request');
  if (!request.contactId || request.contact?.status !== 'ACTIVE') return null;
  const language = request.contact.language ?? request.language ?? 'en';
  const header = i18n.t(language, 'volunteer:staff_header', { reference: request.reference });
  const message = await queueMessageToContact(tx, {
    contactId: request.contactId,
    requestId,
    content: (channel) => ({
      text: `${header}\n${formatted ? richTextFor(formatted, channel) : text}`,
      kind: 'staffReply',
      ...(i18n.isRtl(language) ? { rtl: true } : {}),
    }),
  });
  if (!message) return null;
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: staffId,
    action: 'request.replied',
    entityType: 'Request',
    entityId: requestId,
    associationId: request.associationId,
    data: { messageId: message.id },
  });
  if (OPEN_STATUSES.includes(request.status)) await enqueueTask(tx, STAFF_REPLIED_TASK, { requestId });
  return message;
}
