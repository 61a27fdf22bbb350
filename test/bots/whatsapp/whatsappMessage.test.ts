import { describe, expect, it } from 'vitest';
import { isPersonalChat, readWhatsAppMessage } from '../../../src/bots/whatsapp/whatsappMessage.js';
import { classifySendError } from '../../../src/bots/whatsapp/whatsappSender.js';
import { ChannelOffline, PlatformRejected, PlatformUnreachable } from '../../../src/core/errors.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';

const world = new FakeWhatsApp();
const from = '33612345678@c.us';
const read = (fields: Parameters<FakeWhatsApp['message']>[1], sender = from) =>
  readWhatsAppMessage(world.message(sender, fields));

describe('reading a whatsapp-web.js message', () => {
  it('keeps what a person typed, with the message id as de-duplication source', () => {
    const message = world.message(from, { body: '٣' });
    expect(readWhatsAppMessage(message)).toEqual({
      handled: true,
      from,
      messageId: message.id._serialized,
      content: { kind: 'text', text: '٣' },
    });
  });

  it('maps a shared location to coordinates', () => {
    expect(read({ type: 'location', location: { latitude: 50.95, longitude: 1.85 } })).toMatchObject({
      content: { kind: 'location', latitude: 50.95, longitude: 1.85 },
    });
    expect(read({ type: 'location', location: { latitude: '50.95', longitude: '1.85' } })).toMatchObject({
      content: { kind: 'location', latitude: 50.95, longitude: 1.85 },
    });
  });

  it('keeps only whether a shared contact card has a number', () => {
    const card = 'BEGIN:VCARD\nVERSION:3.0\nFN:Amal\nTEL;type=CELL;waid=33611111111:+33 6 11 11 11 11\nEND:VCARD';
    expect(read({ type: 'vcard', body: card, vCards: [card] })).toMatchObject({
      content: { kind: 'contact', hasPhone: true },
    });
    expect(read({ type: 'multi_vcard', vCards: ['BEGIN:VCARD\nFN:Someone\nEND:VCARD'] })).toMatchObject({
      content: { kind: 'contact', hasPhone: false },
    });
    expect(JSON.stringify(read({ type: 'vcard', body: card, vCards: [card] }))).not.toContain('33611111111');
  });

  it('turns photos, voice notes, videos, documents and stickers into attachments', () => {
    const kinds = {
      image: 'photo',
      ptt: 'voice',
      audio: 'audio',
      video: 'video',
      document: 'document',
      sticker: 'sticker',
    } as const;
    for (const [type, mediaType] of Object.entries(kinds))
      expect(read({ type, hasMedia: true })).toMatchObject({ content: { kind: 'attachment', mediaType } });
    expect(read({ type: 'something_new', hasMedia: true })).toMatchObject({
      content: { kind: 'attachment', mediaType: 'other' },
    });
  });

  it('ignores groups, status updates, broadcast lists, channels and its own messages', () => {
    expect(read({ body: 'hi', author: from }, '120363000000000001@g.us')).toEqual({
      handled: false,
      reason: 'not_a_person',
    });
    expect(read({ body: 'hi', isStatus: true, author: from }, 'status@broadcast')).toEqual({
      handled: false,
      reason: 'not_a_person',
    });
    expect(read({ body: 'hi' }, '120363000000000002@newsletter')).toEqual({ handled: false, reason: 'not_a_person' });
    expect(read({ body: 'hi', broadcast: true })).toEqual({ handled: false, reason: 'not_a_person' });
    expect(read({ body: 'hi', fromMe: true })).toEqual({ handled: false, reason: 'own_message' });
  });

  it('ignores events that carry nothing to answer, and malformed payloads', () => {
    for (const type of ['revoked', 'e2e_notification', 'call_log', 'ciphertext', 'reaction', 'protocol'])
      expect(read({ type })).toEqual({ handled: false, reason: 'unsupported' });
    expect(read({ body: '   ' })).toEqual({ handled: false, reason: 'unsupported' });
    expect(read({ type: 'location', location: { latitude: 123, longitude: 0 } })).toEqual({
      handled: false,
      reason: 'unsupported',
    });
    expect(readWhatsAppMessage({ from })).toEqual({ handled: false, reason: 'malformed' });
    expect(readWhatsAppMessage(null)).toEqual({ handled: false, reason: 'malformed' });
  });

  it('cuts a very long text to what the inbound path accepts', () => {
    const result = read({ body: 'x'.repeat(30_000) });
    expect(result.handled && result.content.kind === 'text' ? result.content.text.length : 0).toBe(20_000);
  });

  it('knows a person chat from every other kind of WhatsApp address', () => {
    expect(['33612345678@c.us', '204800000000001@lid'].map(isPersonalChat)).toEqual([true, true]);
    expect(
      ['120363000000000001@g.us', 'status@broadcast', '1@newsletter', '33612345678@s.whatsapp.net', 'abc@c.us', ''].map(
        isPersonalChat,
      ),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe('classifying whatsapp-web.js send errors', () => {
  it('an unknown recipient is final, a closed browser keeps the message queued, anything else is retried', () => {
    expect(classifySendError(new Error('Evaluation failed: Error: wid error: invalid wid'))).toBeInstanceOf(
      PlatformRejected,
    );
    expect(classifySendError(new Error('Protocol error (Runtime.callFunctionOn): Target closed.'))).toBeInstanceOf(
      ChannelOffline,
    );
    expect(
      classifySendError(new Error('Execution context was destroyed, most likely because of a navigation.')),
    ).toBeInstanceOf(ChannelOffline);
    expect(
      classifySendError(new Error('Evaluation failed: TypeError: Cannot read properties of undefined')),
    ).toBeInstanceOf(PlatformUnreachable);
    expect(classifySendError('weird')).toBeInstanceOf(PlatformUnreachable);
  });
});
