import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

describe('help using a phone', () => {
  it('gives the self-help steps of a topic and ends when it helped (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('help');
    const texts = chat.choose('passwords');
    expect(texts).toEqual([chat.t('phoneHelp:answer_passwords'), chat.t('phoneHelp:did_it_help')]);
    expect(texts[0]).toMatch(/1️⃣[\s\S]*2️⃣/);
    expect(chat.choose('solved')[0]).toBe(chat.t('phoneHelp:glad'));
    expect(chat.commands).toEqual([]);
  });

  it('books a help session with a volunteer as a HELP request with the topic, in Persian (RTL)', () => {
    const chat = new FlowHarness({ language: 'fa' });
    chat.send({ kind: 'start' });
    chat.choose('help');
    expect(chat.send('۱')[0]).toBe(chat.t('phoneHelp:answer_account', {}, 'fa'));
    chat.send('۲'); // book
    chat.send('۱'); // yes
    expect(chat.commands).toEqual([
      { type: 'createRequest', id: 'cmd-createRequest', kind: 'HELP', details: { topic: 'account' } },
    ]);
    const texts = chat.send({
      kind: 'event',
      name: 'requestCreated',
      data: { requestId: 'r', reference: 'H-1060', kind: 'HELP', flaggedReason: null, existing: false },
    });
    expect(texts[0]).toBe(chat.t('phoneHelp:booked', { reference: 'H-1060' }, 'fa'));
    expect(chat.messages[0]?.rtl).toBe(true);
  });

  it(
    '"something else" goes straight to the offer of a ' + 'volunteer, and another topic can be chosen after an answer',
    () => {
      const chat = new FlowHarness({ language: 'en' });
      chat.send({ kind: 'start' });
      chat.choose('help');
      chat.choose('apps');
      expect(chat.choose('another')).toEqual([chat.t('phoneHelp:topic')]);
      expect(chat.choose('other')).toEqual([chat.t('phoneHelp:book')]);
      expect(chat.choose('no')[0]).toBe(chat.t('phoneHelp:not_booked'));
    },
  );
});
