import { z } from 'zod';

/**
 * C0 control characters except tab, line feed and carriage return, and DEL. Postgres refuses
 * NUL in text and jsonb ("invalid byte sequence"), and none of them is meaningful in a
 * chat message: they are removed so the message is stored and answered, not refused.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters it removes
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Half of a UTF-16 surrogate pair without its other half: not a character, refused by jsonb. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as Postgres can store it and people can read it: control characters removed (see
 * CONTROL_CHARACTERS), lone surrogates replaced by U+FFFD (the replacement character).
 */
export function storableText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A string from a person or a platform, made storable after the length check. */
const cleanString = (max: number) => z.string().max(max).transform(storableText);

export const channels = ['TELEGRAM', 'WHATSAPP', 'WHATSAPP_CLOUD', 'WEB', 'SLACK'] as const;
export type ChannelName = (typeof channels)[number];

/** What a person sent, whatever the platform. Adapters build these; nothing else does. */
export const inboundContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: cleanString(20_000) }),
  /** a button press; `choiceId` is the id of a choice the bot offered */
  z.object({ kind: z.literal('choice'), choiceId: cleanString(64) }),
  z.object({
    kind: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  /** a shared contact card; the phone number is never stored in content (see stripContact) */
  z.object({ kind: z.literal('contact'), hasPhone: z.boolean() }),
  /** photo, voice, video, document, sticker: acknowledged, not read */
  z.object({
    kind: z.literal('attachment'),
    mediaType: z.enum(['photo', 'voice', 'audio', 'video', 'document', 'sticker', 'other']),
  }),
  /** the person opened the chat (/start) */
  z.object({ kind: z.literal('start'), payload: cleanString(64).optional() }),
]);
export type InboundContent = z.infer<typeof inboundContentSchema>;

export const inboundMessageSchema = z.object({
  channel: z.enum(channels),
  /** platform id of the sender/chat (Telegram chat id, WhatsApp jid, web session id) */
  platformId: z.string().min(1).max(256),
  /** platform's unique id for this update, the de-duplication key */
  dedupeKey: z.string().min(1).max(256),
  receivedAt: z.date(),
  /** language hint from the platform (Telegram language_code) */
  languageHint: cleanString(16).optional(),
  /** the client's IP (web chat): only to count wrong reconnection codes per address, hashed, in Redis; never stored */
  clientAddress: z.string().max(64).optional(),
  content: inboundContentSchema,
  /** set only by the play-back of a message held by the flood limit: the held copy it replaces */
  heldMessageId: z.string().uuid().optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const choiceSchema = z.object({ id: z.string().min(1).max(64), label: z.string() });
export type Choice = z.infer<typeof choiceSchema>;

/** A rendered message for one person: text already in their language, choices to show as buttons or a numbered list. */
export const outboundContentSchema = z.object({
  text: z.string(),
  choices: z.array(choiceSchema).max(30).optional(),
  /** right-to-left language: adapters that can, set the direction */
  rtl: z.boolean().optional(),
  /** a person may answer with a location (adapters may show a share-location button) */
  askLocation: z.boolean().optional(),
  /** label of a share-location button, in the person's language (set with askLocation) */
  locationLabel: z.string().max(64).optional(),
  /** a secret shown once (a reconnection code): the text is erased once delivered (outboxSql.ts) */
  sensitive: z.boolean().optional(),
  /**
   * how to answer a numbered list, in the person's language ("Send the number of your
   * choice"): channels without buttons write it under the list; with buttons prompts say "choose"
   */
  numberHint: z.string().max(200).optional(),
  /**
   * what the message is, for channels that may write first only with an approved template
   * (WhatsApp Cloud API outside its 24-hour window): a follow-up's flow, a volunteer's reply…
   */
  kind: z.enum(['checkIn', 'appointmentReminder', 'staffReply', 'announcement', 'notice']).optional(),
});
export const outboundKinds = ['checkIn', 'appointmentReminder', 'staffReply', 'announcement', 'notice'] as const;
export type OutboundContent = z.infer<typeof outboundContentSchema>;
