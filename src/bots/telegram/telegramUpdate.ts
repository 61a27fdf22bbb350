import type { Update } from 'grammy/types';
import { z } from 'zod';

const chatSchema = z.object({ id: z.number().int(), type: z.string() });
const userSchema = z.object({ id: z.number().int(), language_code: z.string().optional() });

/** Media and other content we acknowledge without reading; the value itself is never kept. */
const present = z
  .unknown()
  .optional()
  .transform((value) => value !== undefined && value !== null);

/**
 * The fields of a Telegram message Relais uses. A shared contact card is reduced to "had a
 * phone number" during parsing, so the number never reaches any other code.
 */
const messageSchema = z.object({
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  contact: z
    .object({ phone_number: z.string().optional() })
    .transform((contact) => ({ hasPhone: Boolean(contact.phone_number) }))
    .optional(),
  photo: present,
  voice: present,
  audio: present,
  video: present,
  video_note: present,
  animation: present,
  document: present,
  sticker: present,
  poll: present,
  dice: present,
  story: present,
  game: present,
  paid_media: present,
});

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  message: z.object({ chat: chatSchema }).optional(),
  data: z.string().optional(),
});

/** What a Telegram update must look like for Relais; other update kinds pass as "nothing to do". */
export const telegramUpdateSchema = z.object({
  update_id: z.number().int().min(0),
  message: messageSchema.optional(),
  edited_message: z.object({ chat: chatSchema }).optional(),
  callback_query: callbackQuerySchema.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramCallbackQuery = z.infer<typeof callbackQuerySchema>;

/** Updates already validated, by object: the webhook route and then the middleware see the same one. */
const checkedUpdates = new WeakMap<object, TelegramUpdate>();

/**
 * Validates an update once per object: the webhook route checks the body, hands that same
 * object to grammY, and the middleware asks again (it also serves long polling); parsing it
 * each time showed under load (docs/BENCHMARKS.md).
 */
export function checkTelegramUpdate(body: unknown): z.SafeParseReturnType<unknown, TelegramUpdate> {
  const key = typeof body === 'object' && body !== null ? body : undefined;
  const known = key && checkedUpdates.get(key);
  if (known) return { success: true, data: known };
  const parsed = telegramUpdateSchema.safeParse(body);
  if (parsed.success && key) checkedUpdates.set(key, parsed.data);
  return parsed;
}

/**
 * A webhook body accepted as grammY's `Update` once the fields we use are validated; the
 * rest of the object is Telegram's and is passed to grammY untouched.
 */
export const webhookUpdateSchema = z.custom<Update>((body) => checkTelegramUpdate(body).success, {
  message: 'not a well-formed Telegram update',
});
