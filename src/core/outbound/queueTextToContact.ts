import type { Tx } from '../db.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from './outboxDispatcher.js';
import { queueMessageToContact } from './queueMessageToContact.js';

/**
 * Renders one locale key in the person's own language (right to left where it applies) and
 * writes it to their outbox. Returns null when the person can no longer be reached.
 * `params` are rendered verbatim: they may carry what a volunteer typed, never markup.
 * `sensitive`: a secret (a voucher) whose text is erased once it reached the person
 * (OutboundContent.sensitive).
 */
export async function queueTextToContact(
  tx: Tx,
  i18n: I18n,
  input: {
    contactId: string;
    requestId?: string | null;
    key: string;
    params?: Record<string, string | number>;
    prefix?: string;
    identityId?: string;
    sensitive?: boolean;
  },
): Promise<DispatchableMessage | null> {
  const contact = await tx.contact.findUnique({
    where: { id: input.contactId },
    select: { language: true, status: true },
  });
  if (!contact || contact.status === 'ERASED') return null;
  const language = contact.language ?? 'en';
  const text = i18n.t(language, input.key, input.params);
  return queueMessageToContact(tx, {
    contactId: input.contactId,
    requestId: input.requestId ?? null,
    ...(input.identityId ? { identityId: input.identityId } : {}),
    content: { text, ...(i18n.isRtl(language) ? { rtl: true } : {}), ...(input.sensitive ? { sensitive: true } : {}) },
  });
}

/** Formats a date and time for a person, in their language and the service's time zone. */
export function formatAppointment(date: Date, language: string, timeZone: string): { date: string; time: string } {
  const locale = language === 'ckb' ? 'ckb-IQ' : language;
  return {
    date: new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      calendar: 'gregory',
      timeZone,
    }).format(date),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
      date,
    ),
  };
}
