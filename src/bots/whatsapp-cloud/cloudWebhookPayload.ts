import { z } from 'zod';
import type { InboundContent } from '../../core/messages/messageTypes.js';

/**
 * The Cloud API's webhook body as Meta sends it (`object: whatsapp_business_account`): entries
 * of changes whose `value` holds `messages[]`, `statuses[]` and `contacts[]`. Only the fields
 * Relais reads are checked; everything else passes untouched.
 */
const media = z.object({ id: z.string() }).passthrough();
const message = z
  .object({
    from: z.string().optional(),
    /** the business-scoped user id (since April 2026), present even when the number is withheld */
    from_user_id: z.string().optional(),
    id: z.string().min(1).max(256),
    timestamp: z.string().regex(/^\d+$/),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      })
      .optional(),
    button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
    location: z.object({ latitude: z.number(), longitude: z.number() }).passthrough().optional(),
    contacts: z.array(z.object({ phones: z.array(z.object({}).passthrough()).optional() }).passthrough()).optional(),
    image: media.optional(),
    audio: media.extend({ voice: z.boolean().optional() }).optional(),
    video: media.optional(),
    document: media.optional(),
    sticker: media.optional(),
    /** a change of number (new `wa_id`) or of business-scoped user id (new `user_id`) */
    system: z
      .object({ type: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, 'a message names its sender');
export type CloudMessage = z.infer<typeof message>;

const status = z
  .object({
    id: z.string().min(1),
    status: z.string(),
    timestamp: z.string().regex(/^\d+$/),
    recipient_id: z.string().optional(),
    errors: z.array(z.object({ code: z.number() }).passthrough()).optional(),
  })
  .passthrough();
export type CloudStatus = z.infer<typeof status>;

const contact = z.object({ wa_id: z.string().optional(), user_id: z.string().optional() }).passthrough();

export const cloudWebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z
            .object({
              messaging_product: z.literal('whatsapp').optional(),
              metadata: z.object({ phone_number_id: z.string() }).passthrough().optional(),
              contacts: z.array(contact).optional(),
              messages: z.array(message).optional(),
              statuses: z.array(status).optional(),
            })
            .passthrough(),
        }),
      ),
    }),
  ),
});
export type CloudWebhook = z.infer<typeof cloudWebhookSchema>;

export type MappedCloudMessage = { kind: 'content'; content: InboundContent } | { kind: 'ignored'; reason: string };

/**
 * A Cloud API message as channel-neutral content. A shared contact card keeps only whether it
 * had a number (never the number); media get the polite answer the other channels give;
 * reactions, system notices and unsupported types are ignored (the caller logs the type only).
 */
export function mapCloudMessage(m: CloudMessage): MappedCloudMessage {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'content', content: { kind: 'text', text: m.text.body } } : bad(m.type);
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? { kind: 'content', content: { kind: 'choice', choiceId: reply.id.slice(0, 64) } } : bad(m.type);
    }
    case 'button':
      // a template's quick-reply button: its text is what the person chose
      return m.button?.text ? { kind: 'content', content: { kind: 'text', text: m.button.text } } : bad(m.type);
    case 'location': {
      const at = m.location;
      if (!at || Math.abs(at.latitude) > 90 || Math.abs(at.longitude) > 180) return bad(m.type);
      return { kind: 'content', content: { kind: 'location', latitude: at.latitude, longitude: at.longitude } };
    }
    case 'contacts': {
      const hasPhone = (m.contacts ?? []).some((c) => (c.phones ?? []).length > 0);
      return { kind: 'content', content: { kind: 'contact', hasPhone } };
    }
    case 'image':
      return attachment('photo');
    case 'audio':
      return attachment(m.audio?.voice ? 'voice' : 'audio');
    case 'video':
      return attachment('video');
    case 'document':
      return attachment('document');
    case 'sticker':
      return attachment('sticker');
    default:
      return { kind: 'ignored', reason: m.type.slice(0, 32) };
  }
}

function attachment(mediaType: 'photo' | 'voice' | 'audio' | 'video' | 'document' | 'sticker'): MappedCloudMessage {
  return { kind: 'content', content: { kind: 'attachment', mediaType } };
}

function bad(type: string): MappedCloudMessage {
  return { kind: 'ignored', reason: `${type.slice(0, 32)} without its body` };
}
