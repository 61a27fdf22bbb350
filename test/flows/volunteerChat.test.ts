import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const created = {
  kind: 'event' as const,
  name: 'requestCreated',
  data: { requestId: 'req-7', reference: 'C-1070', kind: 'CONTACT', flaggedReason: null, existing: false },
};
const attached = (ok: boolean) => ({ kind: 'event' as const, name: 'requestMessage', data: { attached: ok } });

describe('talk to a volunteer', () => {
  it(
    'the first message opens a CONTACT request with it attached; later messages are attached to that request ' +
      '(English)',
    () => {
      const chat = new FlowHarness({ language: 'en' });
      chat.send({ kind: 'start' });
      expect(chat.choose('volunteer')).toEqual([chat.t('volunteer:intro')]);
      expect(chat.send('Hello, I need a lawyer')).toEqual([]);
      expect(chat.commands).toEqual([
        {
          type: 'createRequest',
          id: 'cmd-createRequest',
          kind: 'CONTACT',
          details: { origin: 'menu' },
          attachMessage: true,
        },
      ]);
      expect(chat.send(created)).toEqual([
        chat.t('volunteer:sent_first', { reference: 'C-1070' }),
        chat.t('volunteer:chat'),
      ]);
      chat.send('2'); // a bare number is an answer for the volunteer, not a menu pick
      expect(chat.commands).toEqual([{ type: 'attachToRequest', requestId: 'req-7' }]);
      expect(chat.send(attached(true))).toEqual([chat.t('volunteer:sent')]);
      expect(chat.state?.step).toBe('chat');
    },
  );

  it('"menu" ends the chat, and so does the finish button, in Arabic (RTL)', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.choose('volunteer');
    chat.send('مرحبا');
    chat.send(created);
    expect(chat.choose('end')[0]).toBe(chat.t('volunteer:ended', {}, 'ar'));
    expect(chat.state?.flow).toBe('menu');
    chat.open('volunteer', { requestId: 'req-7', reference: 'C-1070' }, 'chat');
    chat.send('قائمة');
    expect(chat.state?.flow).toBe('menu');
    expect(chat.commands).toEqual([]);
  });

  it('when the volunteers closed the request, the person is told and goes back to the menu', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.open('volunteer', { requestId: 'req-7', reference: 'C-1070' }, 'chat');
    chat.send('Are you there?');
    const texts = chat.send(attached(false));
    expect(texts[0]).toBe(chat.t('volunteer:closed'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('a shared location is not a message for the volunteer', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('volunteer');
    expect(chat.send({ kind: 'location', latitude: 1, longitude: 2 })[0]).toBe(chat.t('common:location_unexpected'));
    expect(chat.commands).toEqual([]);
  });
});
