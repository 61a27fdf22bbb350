import { describe, expect, it } from 'vitest';
import { mapTelegramUpdate } from '../../../src/bots/telegram/telegramUpdateMapper.js';
import { telegramUpdateSchema } from '../../../src/bots/telegram/telegramUpdate.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';

const at = new Date('2026-11-24T10:00:00Z');
const map = (update: unknown) => mapTelegramUpdate(telegramUpdateSchema.parse(update), '42', at);
const contentOf = (update: unknown) => {
  const mapped = map(update);
  return mapped.kind === 'inbound' ? mapped.inbound.content : mapped.reason;
};
const person = new TelegramUpdateFactory(555, 'fa-AF');

describe('Telegram update mapping', () => {
  it(
    'a private text becomes an inbound text from the chat, keyed by bot and update id, with the app language as a ' +
      'hint',
    () => {
      const update = person.text('  سلام  ');
      expect(map(update)).toEqual({
        kind: 'inbound',
        inbound: {
          channel: 'TELEGRAM',
          platformId: '555',
          dedupeKey: `tg:42:${update.update_id}`,
          receivedAt: at,
          languageHint: 'fa-AF',
          content: { kind: 'text', text: 'سلام' },
        },
      });
    },
  );

  it('commands: /start with or without a payload, menu commands as the engine keywords, others as typed', () => {
    expect(contentOf(person.command('/start'))).toEqual({ kind: 'start' });
    expect(contentOf(person.command('/start ref_P-4821'))).toEqual({ kind: 'start', payload: 'ref_P-4821' });
    expect(contentOf(person.command('/start <script>'))).toEqual({ kind: 'start' });
    expect(contentOf(person.command('/menu'))).toEqual({ kind: 'text', text: 'menu' });
    expect(contentOf(person.command('/help@relais_bot'))).toEqual({ kind: 'text', text: 'help' });
    expect(contentOf(person.command('/LANGUAGE'))).toEqual({ kind: 'text', text: 'language' });
    expect(contentOf(person.command('/stop'))).toEqual({ kind: 'text', text: 'stop' });
    expect(contentOf(person.command('/weather'))).toEqual({ kind: 'text', text: '/weather' });
  });

  it('a pressed button is a choice and is answered; a button without data is only answered', () => {
    const press = person.callback('lang:fa');
    expect(map(press)).toMatchObject({
      kind: 'inbound',
      callbackQueryId: press.callback_query.id,
      inbound: { platformId: '555', content: { kind: 'choice', choiceId: 'lang:fa' } },
    });
    const empty = { update_id: 9, callback_query: { id: 'cb1', from: { id: 555 }, chat_instance: '1' } };
    expect(map(empty)).toEqual({ kind: 'ignored', reason: 'no_data', callbackQueryId: 'cb1' });
  });

  it('location, contact (only whether it had a number) and every kind of media', () => {
    expect(contentOf(person.location(48.85, 2.35))).toEqual({ kind: 'location', latitude: 48.85, longitude: 2.35 });
    expect(contentOf(person.contact('+33612345678'))).toEqual({ kind: 'contact', hasPhone: true });
    expect(JSON.stringify(telegramUpdateSchema.parse(person.contact('+33612345678')))).not.toContain('612345678');
    expect(contentOf(person.photo())).toEqual({ kind: 'attachment', mediaType: 'photo' });
    expect(contentOf(person.voice())).toEqual({ kind: 'attachment', mediaType: 'voice' });
    expect(contentOf(person.sticker())).toEqual({ kind: 'attachment', mediaType: 'sticker' });
  });

  it('groups, channels, edits, service messages and other update kinds are ignored', () => {
    expect(contentOf(person.groupText('/start'))).toBe('not_private');
    expect(contentOf(person.edited('hello'))).toBe('edited');
    expect(contentOf(person.channelPost('news'))).toBe('other_update');
    expect(contentOf(person.blockedBot())).toBe('other_update');
    expect(
      contentOf({
        update_id: 3,
        message: { message_id: 1, date: 0, chat: { id: 555, type: 'private' }, new_chat_title: 'x' },
      }),
    ).toBe('service_message');
    const groupButton = {
      update_id: 4,
      callback_query: { id: 'cb2', from: { id: 555 }, message: { chat: { id: -100, type: 'group' } }, data: 'x' },
    };
    expect(map(groupButton)).toEqual({ kind: 'ignored', reason: 'not_private', callbackQueryId: 'cb2' });
  });

  it('drops a language hint that is not a language tag', () => {
    const odd = new TelegramUpdateFactory(556, 'not a language code at all').text('hi');
    const mapped = map(odd);
    expect(mapped.kind === 'inbound' ? mapped.inbound.languageHint : 'ignored').toBeUndefined();
  });
});
