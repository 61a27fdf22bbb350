import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../../src/core/conversation/choiceWords.js';
import { FlowHarness } from '../support/flowHarness.js';

const noRequests = { kind: 'event' as const, name: 'myRequests', data: { requests: [] } };

/** A new person types a language name at the first question; the language it sets. */
function languageTyped(typed: string): string | null {
  const chat = new FlowHarness({ language: null, hint: 'en' });
  chat.send({ kind: 'start' });
  chat.send(typed);
  return chat.language;
}

describe('typed words are understood', () => {
  it('language names typed in any language or script choose the language', () => {
    expect(languageTyped('english')).toBe('en');
    expect(languageTyped('Anglais')).toBe('en');
    expect(languageTyped('انجليزي')).toBe('en');
    expect(languageTyped('عربي')).toBe('ar');
    expect(languageTyped('arabe')).toBe('ar');
    expect(languageTyped('فارسی')).toBe('fa');
    expect(languageTyped('dari')).toBe('fa');
    expect(languageTyped('ትግርኛ')).toBe('ti');
    expect(languageTyped('tigrinya')).toBe('ti');
    expect(languageTyped('አማርኛ')).toBe('am');
    expect(languageTyped('پښتو')).toBe('ps');
    expect(languageTyped('Sorani')).toBe('ckb');
    expect(languageTyped('français')).toBe('fr');
    // the label itself, as on the buttons
    expect(languageTyped('کوردی (سۆرانی)')).toBe('ckb');
  });

  it('a language name with one typo (5 letters or more) is understood, a short or unknown word is not', () => {
    expect(languageTyped('englsh')).toBe('en');
    expect(languageTyped('arabik')).toBe('ar');
    expect(languageTyped('frensh')).toBe('fr');
    expect(languageTyped('frnsh')).toBe(null);
    expect(languageTyped('banana')).toBe(null);
  });

  it('the language can be changed later by its name, in the middle of the menu', () => {
    const chat = new FlowHarness({ language: 'fr' });
    chat.send({ kind: 'start' });
    chat.send('langue');
    chat.send('tigrinya');
    expect(chat.language).toBe('ti');
  });

  it('menu entries are opened by a word, in four languages and three scripts', () => {
    const cases: Array<[string, string, string]> = [
      ['en', 'phone', 'phone'],
      ['en', 'credit', 'recharge'],
      ['fr', 'téléphone', 'phone'],
      ['fr', 'crédit', 'recharge'],
      ['fr', 'recharge', 'recharge'],
      ['fr', 'bénévole', 'volunteer'],
      ['ar', 'هاتف', 'phone'],
      ['ar', 'رصيد', 'recharge'],
      ['ti', 'ሞባይል', 'phone'],
      ['ti', 'ሕቶታተይ', 'myRequests'],
    ];
    for (const [language, typed, flow] of cases) {
      const chat = new FlowHarness({ language });
      chat.send({ kind: 'start' });
      chat.send(typed);
      expect(chat.state?.flow, `${language}: ${typed}`).toBe(flow);
    }
  });

  it('one typo in a word of 5 letters or more of a label is understood; an ambiguous word is not guessed', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.send('volunter');
    expect(chat.state?.flow).toBe('volunteer');

    const other = new FlowHarness({ language: 'en' });
    other.send({ kind: 'start' });
    other.choose('phone');
    other.send(noRequests);
    other.choose('self');
    other.send('stollen');
    expect(other.state?.step).toBe('urgency');

    const unsure = new FlowHarness({ language: 'en' });
    unsure.send({ kind: 'start' });
    // "my" is in several entries' labels
    expect(unsure.send('my')).toContain(unsure.t('menu:invalid'));
  });

  it('one edit is one insertion, deletion or substitution, by character, in any script', () => {
    expect(withinOneEdit('phone', 'phone')).toBe(true);
    expect(withinOneEdit('phone', 'phon')).toBe(true);
    expect(withinOneEdit('phone', 'phoone')).toBe(true);
    expect(withinOneEdit('phone', 'phane')).toBe(true);
    expect(withinOneEdit('phone', 'hpone')).toBe(false);
    expect(withinOneEdit('ትግርኛ', 'ትግሪኛ')).toBe(true);
    expect(withinOneEdit('فارسی', 'فارسي')).toBe(true);
    expect(withinOneEdit('عربي', 'فارسی')).toBe(false);
  });
});
