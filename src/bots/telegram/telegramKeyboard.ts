import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Choice, InboundContent, OutboundContent } from '../../core/messages/messageTypes.js';

/** Telegram refuses callback_data longer than this many bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** callback data of a choice whose id is too long: its number, read back as if typed */
const NUMBER_DATA = /^#(\d{1,2})$/;
/** shown when a flow asked for a location without a localized label (should not happen) */
const FALLBACK_LOCATION_LABEL = '📍';

export type TelegramReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** The label of a choice's button: its number first, so people can also type the number. */
export function choiceButtonLabel(choice: Choice, index: number): string {
  return `${index + 1}. ${choice.label}`;
}

/**
 * What a button sends back. Normally the choice id; an id over 64 bytes (or one that looks
 * like our number form) becomes `#<number>`, which comes back as the typed number.
 */
export function encodeCallbackData(choice: Choice, index: number): string {
  const fits = Buffer.byteLength(choice.id, 'utf8') <= CALLBACK_DATA_MAX_BYTES && !NUMBER_DATA.test(choice.id);
  return fits ? choice.id : `#${index + 1}`;
}

/** The inbound content a pressed button means, or undefined for empty/oversized data. */
export function decodeCallbackData(data: string): InboundContent | undefined {
  const number = NUMBER_DATA.exec(data);
  if (number?.[1]) return { kind: 'text', text: number[1] };
  if (data.length === 0 || Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES) return undefined;
  return { kind: 'choice', choiceId: data };
}

/**
 * The keyboard of a message:
 * - choices only: an inline keyboard, one numbered button per row;
 * - a location question: a one-time reply keyboard with a share-location button first, then
 *   one button per choice labelled exactly like the choice (a reply-keyboard button sends its
 *   label as text, and the engine recognises choice labels; a number prefix would not match);
 * - neither: removes a reply keyboard left over from an earlier location question.
 */
export function telegramReplyMarkup(content: OutboundContent): TelegramReplyMarkup {
  const choices = content.choices ?? [];
  if (content.askLocation) {
    return {
      keyboard: [
        [{ text: content.locationLabel ?? FALLBACK_LOCATION_LABEL, request_location: true }],
        ...choices.map((choice) => [{ text: choice.label }]),
      ],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
  }
  if (choices.length > 0) {
    return {
      inline_keyboard: choices.map((choice, index) => [
        { text: choiceButtonLabel(choice, index), callback_data: encodeCallbackData(choice, index) },
      ]),
    };
  }
  return { remove_keyboard: true };
}
