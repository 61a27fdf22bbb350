import type { InboundContent, InboundMessage } from '../../core/messages/messageTypes.js';
import { decodeCallbackData } from './telegramKeyboard.js';
import type { TelegramMessage, TelegramUpdate } from './telegramUpdate.js';

/** What one Telegram update means for Relais. */
export type MappedUpdate =
  | { kind: 'inbound'; inbound: InboundMessage; callbackQueryId?: string }
  /** acknowledged without effect; `callbackQueryId` is still answered so the button stops spinning */
  | { kind: 'ignored'; reason: IgnoredReason; callbackQueryId?: string };

export type IgnoredReason = 'not_private' | 'edited' | 'service_message' | 'no_data' | 'other_update';

/** Commands of the bot's menu that mean one of the engine's global keywords. */
const COMMAND_KEYWORDS: Readonly<Record<string, string>> = {
  menu: 'menu',
  help: 'help',
  language: 'language',
  lang: 'language',
  stop: 'stop',
  back: 'back',
};
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/;
/** Telegram deep-link payloads: https://t.me/<bot>?start=<payload> */
const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

/** The de-duplication key of an update: update ids are unique per bot only. */
export function telegramDedupeKey(botId: string, updateId: number): string {
  return `tg:${botId}:${updateId}`;
}

/**
 * Translates a validated Telegram update into the channel-neutral inbound message. Only
 * private chats are conversations: groups and channels are ignored silently (nothing is
 * stored, nobody is answered in public). Edited messages are ignored: the person already
 * got an answer to the original.
 */
export function mapTelegramUpdate(update: TelegramUpdate, botId: string, receivedAt: Date): MappedUpdate {
  const dedupeKey = telegramDedupeKey(botId, update.update_id);
  if (update.callback_query) {
    const query = update.callback_query;
    const callbackQueryId = query.id;
    const chat = query.message?.chat ?? { id: query.from.id, type: 'private' };
    if (chat.type !== 'private') return { kind: 'ignored', reason: 'not_private', callbackQueryId };
    const content = query.data === undefined ? undefined : decodeCallbackData(query.data);
    if (!content) return { kind: 'ignored', reason: 'no_data', callbackQueryId };
    return {
      kind: 'inbound',
      callbackQueryId,
      inbound: inbound(chat.id, dedupeKey, receivedAt, content, query.from.language_code),
    };
  }
  if (update.message) {
    const message = update.message;
    if (message.chat.type !== 'private') return { kind: 'ignored', reason: 'not_private' };
    const content = messageContent(message);
    if (!content) return { kind: 'ignored', reason: 'service_message' };
    return {
      kind: 'inbound',
      inbound: inbound(message.chat.id, dedupeKey, receivedAt, content, message.from?.language_code),
    };
  }
  if (update.edited_message) return { kind: 'ignored', reason: 'edited' };
  return { kind: 'ignored', reason: 'other_update' };
}

function inbound(
  chatId: number,
  dedupeKey: string,
  receivedAt: Date,
  content: InboundContent,
  languageCode: string | undefined,
): InboundMessage {
  const languageHint =
    languageCode && languageCode.length <= 16 && LANGUAGE_TAG.test(languageCode) ? languageCode : undefined;
  return {
    channel: 'TELEGRAM',
    platformId: String(chatId),
    dedupeKey,
    receivedAt,
    content,
    ...(languageHint ? { languageHint } : {}),
  };
}

function messageContent(message: TelegramMessage): InboundContent | undefined {
  if (message.text !== undefined) return textContent(message.text);
  if (message.location)
    return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  if (message.contact) return { kind: 'contact', hasPhone: message.contact.hasPhone };
  if (message.photo) return { kind: 'attachment', mediaType: 'photo' };
  if (message.voice) return { kind: 'attachment', mediaType: 'voice' };
  if (message.audio) return { kind: 'attachment', mediaType: 'audio' };
  if (message.video || message.video_note || message.animation) return { kind: 'attachment', mediaType: 'video' };
  if (message.sticker) return { kind: 'attachment', mediaType: 'sticker' };
  if (message.document) return { kind: 'attachment', mediaType: 'document' };
  if (message.poll || message.dice || message.story || message.game || message.paid_media)
    return { kind: 'attachment', mediaType: 'other' };
  // joined, pinned, auto-delete timer changed…: not something the person said
  return undefined;
}

function textContent(raw: string): InboundContent | undefined {
  const text = raw.trim();
  if (text.length === 0) return undefined;
  const command = COMMAND.exec(text);
  if (command?.[1]) {
    const name = command[1].toLowerCase();
    if (name === 'start') {
      const payload = command[2]?.trim();
      return payload && START_PAYLOAD.test(payload) ? { kind: 'start', payload } : { kind: 'start' };
    }
    const keyword = COMMAND_KEYWORDS[name];
    if (keyword) return { kind: 'text', text: keyword };
  }
  // Telegram caps texts at 4096 characters; the bound keeps the inbound schema's promise anyway
  return { kind: 'text', text: text.slice(0, 20_000) };
}
