import { z } from 'zod';
import type { InboundContent } from '../../core/messages/messageTypes.js';

/** A one-to-one chat with a person: phone-based (`…@c.us`) or linked id (`…@lid`). */
const PERSONAL_CHAT = /^[0-9]{3,32}@(c\.us|lid)$/;

/**
 * True for a person's own chat; false for groups (`@g.us`), status and broadcast lists (`@broadcast`), channels
 * (`@newsletter`).
 */
export function isPersonalChat(jid: string): boolean {
  return PERSONAL_CHAT.test(jid);
}

const MEDIA_TYPES: Record<string, Extract<InboundContent, { kind: 'attachment' }>['mediaType']> = {
  image: 'photo',
  album: 'photo',
  ptt: 'voice',
  audio: 'audio',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
};

/** Message types that carry what a person typed or picked. */
const TEXT_TYPES = new Set(['chat', 'list_response', 'buttons_response', 'template_button_reply']);
const CONTACT_TYPES = new Set(['vcard', 'multi_vcard']);
const MAX_TEXT = 20_000;

// the subset of whatsapp-web.js's Message we read, checked at the boundary
const messageSchema = z.object({
  id: z.object({ _serialized: z.string().min(1) }),
  from: z.string(),
  author: z.string().nullish(),
  body: z.string().nullish(),
  type: z.string(),
  hasMedia: z.boolean().nullish(),
  location: z.object({ latitude: z.coerce.number(), longitude: z.coerce.number() }).nullish(),
  vCards: z.array(z.string()).nullish(),
  isStatus: z.boolean().nullish(),
  fromMe: z.boolean().nullish(),
  broadcast: z.boolean().nullish(),
});

export type WhatsAppInbound =
  | { handled: true; from: string; messageId: string; content: InboundContent }
  | { handled: false; reason: 'not_a_person' | 'own_message' | 'unsupported' | 'malformed' };

/**
 * Translates one whatsapp-web.js message into channel-neutral content. Only messages a person
 * sent us in their own chat are handled: groups, status updates, broadcast lists, channels
 * and our own messages are ignored. A shared contact card keeps only whether it has a
 * number; the number itself is never read into Relais.
 */
export function readWhatsAppMessage(raw: unknown): WhatsAppInbound {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { handled: false, reason: 'malformed' };
  const msg = parsed.data;
  if (msg.fromMe) return { handled: false, reason: 'own_message' };
  if (msg.isStatus || msg.broadcast || msg.author || !isPersonalChat(msg.from))
    return { handled: false, reason: 'not_a_person' };
  const content = toInboundContent(msg);
  if (!content) return { handled: false, reason: 'unsupported' };
  return { handled: true, from: msg.from, messageId: msg.id._serialized, content };
}

function toInboundContent(msg: z.infer<typeof messageSchema>): InboundContent | null {
  if (TEXT_TYPES.has(msg.type)) {
    const text = (msg.body ?? '').slice(0, MAX_TEXT);
    return text.trim().length > 0 ? { kind: 'text', text } : null;
  }
  if (msg.type === 'location') {
    const location = msg.location;
    if (!location || Math.abs(location.latitude) > 90 || Math.abs(location.longitude) > 180) return null;
    return { kind: 'location', latitude: location.latitude, longitude: location.longitude };
  }
  if (CONTACT_TYPES.has(msg.type)) {
    return { kind: 'contact', hasPhone: (msg.vCards ?? []).some((card) => /^TEL[;:]/im.test(card)) };
  }
  const mediaType = MEDIA_TYPES[msg.type];
  if (mediaType) return { kind: 'attachment', mediaType };
  if (msg.hasMedia) return { kind: 'attachment', mediaType: 'other' };
  // revoked, reactions, calls, notifications, polls, undecryptable "waiting for this message"…
  return null;
}
