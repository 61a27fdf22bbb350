import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const checked = (data: Record<string, unknown>) => ({ kind: 'event' as const, name: 'codeChecked', data });

describe('reconnection code', () => {
  it('"show my code" issues a new personal code and shows it once with advice and how long it works (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('code');
    const texts = chat.choose('show', { 'cmd-issuePersonalCode': { code: '4827 1930 56', days: 90 } });
    expect(chat.commands).toEqual([{ type: 'issuePersonalCode', id: 'cmd-issuePersonalCode' }]);
    expect(texts.slice(0, 2)).toEqual([
      chat.t('code:your_code', { code: '4827 1930 56' }),
      chat.t('code:keep_it', { days: 90 }),
    ]);
  });

  it(
    'a code typed in Arabic-Indic digits is checked, the person confirms on a minimal hint, and the account is ' +
      'linked (Arabic, RTL)',
    () => {
      const chat = new FlowHarness({ language: 'ar' });
      chat.send({ kind: 'start' });
      chat.choose('code');
      chat.choose('have');
      expect(chat.send('٤٨٢٧ ١٩٣٠ ٥٦')).toEqual([]);
      expect(chat.commands).toEqual([{ type: 'checkReconnectCode', code: '4827193056' }]);
      const question = chat.send(
        checked({ result: 'ok', contactId: 'c-old', codeHash: 'hash-of-the-code', openRequests: 2, language: 'fa' }),
      );
      expect(question).toEqual([
        chat.t('code:is_it_you', { count: 2, language: chat.t('languages:fa', {}, 'ar') }, 'ar'),
      ]);
      expect(question[0]).not.toContain('P-');
      chat.send('١');
      expect(chat.commands).toEqual([{ type: 'linkIdentity', contactId: 'c-old', codeHash: 'hash-of-the-code' }]);
      expect(chat.send({ kind: 'event', name: 'identityLinked', data: { linked: true } })[0]).toBe(
        chat.t('code:linked', {}, 'ar'),
      );
      expect(chat.state?.flow).toBe('menu');
    },
  );

  it(
    'a typed code never stays in the conversation state: only its hash waits for "is this you?", and the step marks ' +
      'the input secret',
    () => {
      const chat = new FlowHarness({ language: 'en' });
      chat.send({ kind: 'start' });
      chat.choose('code');
      chat.choose('have');
      // a mistyped code is a secret too
      chat.send('4827 1930');
      expect(chat.lastRedacted).toBe(true);
      chat.send('4827 1930 56');
      expect(chat.lastRedacted).toBe(true);
      expect(JSON.stringify(chat.state)).not.toContain('4827193056');
      chat.send(
        checked({ result: 'ok', contactId: 'c-old', codeHash: 'hash-of-the-code', openRequests: 1, language: 'en' }),
      );
      expect(chat.state?.step).toBe('confirm');
      expect(JSON.stringify(chat.state)).not.toContain('4827193056');
      expect(chat.state?.data.codeHash).toBe('hash-of-the-code');
      // the answer to "is this you?" is no secret
      chat.choose('yes');
      expect(chat.lastRedacted).toBe(false);
    },
  );

  it('a wrong code says how many tries are left and asks again; a lockout ends the attempt', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('code');
    chat.choose('have');
    expect(chat.send('12')).toEqual([chat.t('code:bad_format'), chat.t('code:type_it')]);
    expect(chat.commands).toEqual([]);
    chat.send('1234567890');
    expect(chat.send(checked({ result: 'invalid', attemptsLeft: 3 }))).toEqual([
      chat.t('code:wrong', { attemptsLeft: 3 }),
      chat.t('code:type_it'),
    ]);
    chat.send('1234567891');
    expect(chat.send(checked({ result: 'locked' }))[0]).toBe(chat.t('code:locked'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('when code checks are paused on the channel the person is told to come back later, and the attempt ends', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.choose('code');
    chat.choose('have');
    chat.send('1234567890');
    expect(chat.send(checked({ result: 'paused' }))[0]).toBe(chat.t('code:paused'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('answering "no" to "is this you?" links nothing', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('code');
    chat.choose('have');
    chat.send('1234567890');
    chat.send(
      checked({ result: 'ok', contactId: 'c-old', codeHash: 'hash-of-the-code', openRequests: 0, language: null }),
    );
    expect(chat.texts[0]).toContain(chat.t('code:language_unknown'));
    expect(chat.choose('no')[0]).toBe(chat.t('code:not_linked'));
    expect(chat.commands).toEqual([]);
  });
});

describe('I am someone else (shared phone)', () => {
  it('a new person starts an empty profile and then chooses their language (Kurdish Sorani, RTL)', () => {
    const chat = new FlowHarness({ language: 'ckb' });
    chat.send({ kind: 'start' });
    chat.choose('otherPerson');
    expect(chat.choose('new')).toEqual([chat.t('otherPerson:confirm_new', {}, 'ckb')]);
    const texts = chat.choose('yes');
    expect(chat.commands).toEqual([{ type: 'startNewProfile' }]);
    expect(texts[0]).toBe(chat.t('otherPerson:started', {}, 'ckb'));
    expect(chat.state?.flow).toBe('onboarding');
    expect(chat.lastChoices[0]?.id).toBe('lang:fr');
  });

  it('a person with a profile goes back to it with their code (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('otherPerson');
    expect(chat.choose('code')).toEqual([chat.t('code:type_it')]);
    chat.send('4827193056');
    expect(chat.commands).toEqual([{ type: 'checkReconnectCode', code: '4827193056' }]);
  });
});
