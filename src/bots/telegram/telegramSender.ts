import type { Api } from 'grammy';
import type { ChannelSender, Pacing } from '../../core/outbound/channelSender.js';
import type { OutboundContent } from '../../core/messages/messageTypes.js';
import { toPlatformError } from './telegramErrors.js';
import { telegramReplyMarkup, type TelegramReplyMarkup } from './telegramKeyboard.js';
import { splitTelegramText } from './telegramText.js';

export interface TelegramMessagePart {
  text: string;
  replyMarkup?: TelegramReplyMarkup;
}

/**
 * One outbound message as Telegram messages: the text in parts of at most 4096 characters, the keyboard on the last
 * one.
 */
export function telegramMessageParts(content: OutboundContent): TelegramMessagePart[] {
  const texts = splitTelegramText(content.text);
  const replyMarkup = telegramReplyMarkup(content);
  return texts.map((text, index) => (index === texts.length - 1 ? { text, replyMarkup } : { text }));
}

/**
 * Sends rendered messages through the Bot API (plain text, no parse mode: nothing a person
 * or a volunteer wrote can turn into markup). Rate limits are not handled here: a 429
 * becomes PlatformRateLimited and the delivery worker waits and retries, once, for everyone.
 */
export function createTelegramSender(api: Api, pacing: Pacing): ChannelSender {
  return {
    channel: 'TELEGRAM',
    pacing,
    async send(address, content) {
      let platformMessageId: string | undefined;
      for (const part of telegramMessageParts(content)) {
        try {
          const sent = await api.sendMessage(address, part.text, {
            link_preview_options: { is_disabled: true },
            ...(part.replyMarkup ? { reply_markup: part.replyMarkup } : {}),
          });
          platformMessageId = String(sent.message_id);
        } catch (error) {
          throw toPlatformError(error);
        }
      }
      return platformMessageId === undefined ? {} : { platformMessageId };
    },
  };
}
