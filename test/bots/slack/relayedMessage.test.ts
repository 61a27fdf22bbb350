import { describe, expect, it } from 'vitest';
import { relayedMessage } from '../../../src/bots/slack/blocks/relayedMessage.js';
import { createStaffI18n } from '../../../src/core/staff/staffI18n.js';

const text = createStaffI18n();
const say = (key: string, params?: Record<string, string | number>) => text.t('en', key, params);
const MESSAGE_ID = '5f0c3a52-8a4e-4a57-9f3b-3c1de0b0a001';

describe('a person’s message as posted in the thread', () => {
  it('a long message with a number takes sections under Slack’s 3000 characters, Show on the last', () => {
    const long = `${'mot '.repeat(1500)}+44 7911 123456 ${'fin '.repeat(100)}`;
    const post = relayedMessage({ reference: 'P-1042', text: long, messageId: MESSAGE_ID }, say);
    const sections = (post.blocks ?? []).filter((b) => b.type === 'section');
    expect(sections.length).toBe(3);
    for (const s of sections) expect(s.type === 'section' && (s.text?.text.length ?? 0) <= 3000).toBe(true);
    expect(sections.map((s) => (s.type === 'section' ? s.text?.text : '')).join('')).toBe(post.text);
    expect(sections.at(-1)).toMatchObject({ accessory: { action_id: 'relay.reveal', value: MESSAGE_ID } });
    expect(JSON.stringify(post)).not.toContain('7911');
    expect(post.text).toContain('📞 _a phone number was shared_');
  });
});
