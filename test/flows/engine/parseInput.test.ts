import { describe, expect, it } from 'vitest';
import { buildKeywordTable } from '../../../src/core/conversation/globalKeywords.js';
import { normalizeDigits } from '../../../src/core/conversation/normalizeText.js';
import { detectKeyword, parseInput } from '../../../src/flows/engine/parseInput.js';
import { emptyState } from '../../../src/flows/engine/runTurn.js';

const state = {
  ...emptyState('x', 'y'),
  choices: [
    { id: 'a', label: '📱 A phone' },
    { id: 'b', label: '💳 A recharge' },
    { id: 'c', label: '🆘 Help' },
  ],
};
const keywords = buildKeywordTable({
  menu: ['menu', 'القائمة'],
  back: ['back', 'retour'],
  help: ['help'],
  stop: ['stop'],
  language: ['language'],
  announcements_off: ['no announcements'],
});

describe('parseInput', () => {
  it('turns Arabic-Indic and Persian digits into ASCII digits', () => {
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
  });

  it('answers a choice by its number in Latin, Arabic-Indic or Persian digits', () => {
    expect(parseInput({ kind: 'text', text: '2' }, state).choiceId).toBe('b');
    expect(parseInput({ kind: 'text', text: '٢' }, state).choiceId).toBe('b');
    expect(parseInput({ kind: 'text', text: '۳' }, state).choiceId).toBe('c');
    expect(parseInput({ kind: 'text', text: ' 1. ' }, state).choiceId).toBe('a');
  });

  it('answers a choice by its label without the emoji, ignoring case', () => {
    expect(parseInput({ kind: 'text', text: 'a recharge' }, state).choiceId).toBe('b');
    expect(parseInput({ kind: 'text', text: 'HELP' }, state).choiceId).toBe('c');
  });

  it('does not match a number outside the list or unrelated text', () => {
    expect(parseInput({ kind: 'text', text: '9' }, state).choiceId).toBeUndefined();
    expect(parseInput({ kind: 'text', text: 'hello there' }, state).choiceId).toBeUndefined();
  });

  it('accepts a button press only for a choice that is on offer', () => {
    expect(parseInput({ kind: 'choice', choiceId: 'a' }, state).choiceId).toBe('a');
    expect(parseInput({ kind: 'choice', choiceId: 'zzz' }, state).choiceId).toBeUndefined();
  });

  it('recognises a global keyword only when it is the whole message, in any language', () => {
    expect(detectKeyword({ kind: 'text', text: 'القائمة' }, keywords)).toBe('menu');
    expect(detectKeyword({ kind: 'text', text: '/menu' }, keywords)).toBe('menu');
    expect(detectKeyword({ kind: 'text', text: 'Retour !' }, keywords)).toBe('back');
    expect(detectKeyword({ kind: 'text', text: 'I need help with my phone' }, keywords)).toBeUndefined();
  });
});
