import { describe, expect, it } from 'vitest';
import { inboundMessageSchema, storableText } from '../../../src/core/messages/messageTypes.js';

describe('storable text', () => {
  it('removes NUL and the other C0 controls and DEL, keeps tab, line feed and carriage return', () => {
    expect(storableText('a\u0000b\u0001c\u001fd\u007fe\tf\ng\rh')).toBe('abcde\tf\ng\rh');
  });

  it('replaces a lone surrogate by U+FFFD and keeps emoji, Arabic and Tigrinya whole', () => {
    expect(storableText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(storableText('🙏🏽 سلام ሰላም')).toBe('🙏🏽 سلام ሰላም');
  });

  it('an inbound message is cleaned when parsed, whatever adapter built it', () => {
    const parsed = inboundMessageSchema.parse({
      channel: 'WEB',
      platformId: 'p',
      dedupeKey: 'd',
      receivedAt: new Date(),
      content: { kind: 'text', text: 'aide\u0000 moi' },
    });
    expect(parsed.content).toEqual({ kind: 'text', text: 'aide moi' });
    const choice = inboundMessageSchema.parse({
      channel: 'TELEGRAM',
      platformId: 'p',
      dedupeKey: 'd',
      receivedAt: new Date(),
      content: { kind: 'choice', choiceId: 'lang:\u0000ar' },
    });
    expect(choice.content).toEqual({ kind: 'choice', choiceId: 'lang:ar' });
  });
});
