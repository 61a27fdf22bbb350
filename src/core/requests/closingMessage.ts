import type { Tx } from '../db.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueTextToContact } from '../outbound/queueTextToContact.js';

/** Reasons the person is not told of: a duplicate (their other request goes on) or spam. */
const SILENT_REASONS: readonly string[] = ['duplicate', 'spam'];

/**
 * The message telling a person their request was closed, in their language, with the reason
 * when it is one they should know (served, served elsewhere, no longer needed, cannot help:
 * where to turn instead). Written to their outbox like any reply; null when the reason stays
 * silent or the person can no longer be reached.
 */
export async function queueClosingMessage(
  tx: Tx,
  i18n: I18n,
  input: { requestId: string; contactId: string | null; reference: string; reason: string },
): Promise<DispatchableMessage | null> {
  if (!input.contactId || SILENT_REASONS.includes(input.reason)) return null;
  const key = i18n.instance.exists(`requestClosed:${input.reason}`)
    ? `requestClosed:${input.reason}`
    : 'requestClosed:other';
  return queueTextToContact(tx, i18n, {
    contactId: input.contactId,
    requestId: input.requestId,
    key,
    params: { reference: input.reference },
  });
}
