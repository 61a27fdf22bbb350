import { describe, expect, it } from 'vitest';
import { clipText } from '../../src/flows/textLimits.js';
import { FlowHarness } from '../support/flowHarness.js';

const noRequests = { kind: 'event' as const, name: 'myRequests', data: { requests: [] } };

describe('cut text is said', () => {
  it('a long text is cut at a word boundary, marked with "…", never mid-word', () => {
    const long = 'près de la gare '.repeat(30);
    const clipped = clipText(long, 200);
    expect(clipped.cut).toBe(true);
    expect([...clipped.text].length).toBeLessThanOrEqual(200);
    expect(clipped.text.endsWith('…')).toBe(true);
    expect(long.startsWith(clipped.text.slice(0, -1))).toBe(true);
    expect(long[[...clipped.text].length - 1]).toBe(' ');
    expect(clipText('short', 200)).toEqual({ text: 'short', cut: false });
    // one endless word: cut anyway, still marked
    expect(clipText('x'.repeat(500), 200).text).toBe(`${'x'.repeat(199)}…`);
  });

  it('a place longer than 200 characters is kept cut, and the person is told in their language (Pashto)', () => {
    const chat = new FlowHarness({ language: 'ps' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'lost', 'high');
    const texts = chat.send('د کالې د ریل سټیشن ته نږدې '.repeat(20));
    expect(texts[0]).toBe(chat.t('common:text_cut'));
    expect(chat.state?.data.stay).toEqual({ text: expect.stringMatching(/…$/) });
  });

  it('a short place is kept as typed, without a notice', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'lost', 'high');
    expect(chat.send('Near the station').join('\n')).not.toContain(chat.t('common:text_cut'));
  });
});
