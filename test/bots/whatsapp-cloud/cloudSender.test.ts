import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudSender } from '../../../src/bots/whatsapp-cloud/cloudSender.js';
import {
  ChannelOffline,
  OutsideWindow,
  PlatformRateLimited,
  PlatformRejected,
  PlatformUnreachable,
} from '../../../src/core/errors.js';
import { FakeGraphApi, RATE_LIMITED, TOKEN_EXPIRED } from '../../support/fakeGraphApi.js';

const TOKEN = 'EAAG-sender-test-token-0123456789';
let api: FakeGraphApi;
let refused = 0;
const pacing = { globalPerSec: 80, perChatMs: 0, jitterMs: 0, concurrency: 1 };
const sender = () =>
  createCloudSender({
    graphUrl: api.graphUrl,
    phoneNumberId: '106540352242922',
    accessToken: TOKEN,
    templates: { checkIn: { name: 'relais_check_in', languages: { en: 'en' }, parameters: ['text'] } },
    pacing,
    log: pino({ level: 'silent' }),
    defaultLanguage: 'en',
    listButtonLabel: () => 'Choose',
    onTokenRefused: () => refused++,
  });
const open = { lastInboundAt: new Date(Date.now() - 3_600_000), language: 'en' };
const closed = { lastInboundAt: new Date(Date.now() - 25 * 3_600_000), language: 'en' };

beforeAll(async () => {
  api = await new FakeGraphApi(TOKEN).start();
});
afterAll(async () => {
  await api?.close();
});

describe('WhatsApp Cloud sender', () => {
  it('sends to a WhatsApp id with `to` and to a business-scoped user id with `recipient`, with the token', async () => {
    const s = sender();
    const sent = await s.send('33612000999', { text: 'Hello' }, open);
    expect(sent.platformMessageId).toMatch(/^wamid\./);
    await s.send('FR.1234567890', { text: 'Hello' }, open);
    const [first, second] = api.sends.slice(-2);
    expect(first?.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: '33612000999',
      type: 'text',
      text: { body: 'Hello' },
    });
    expect(second?.body).toMatchObject({ recipient: 'FR.1234567890' });
    expect(second?.body.to).toBeUndefined();
    expect(first?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('maps Meta’s errors: rate limit, undeliverable, re-engagement, server errors', async () => {
    const s = sender();
    api.failNext(RATE_LIMITED);
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(PlatformRateLimited);
    api.failNext({ httpStatus: 400, code: 131026, message: 'Message undeliverable' });
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(PlatformRejected);
    api.failNext({ httpStatus: 400, code: 131047, message: 'Re-engagement message' });
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(OutsideWindow);
    api.failNext({ httpStatus: 500, code: 131000, message: 'Something went wrong' });
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(PlatformUnreachable);
  });

  it('a refused token pauses the channel and tells staff once until a send works again', async () => {
    const s = sender();
    const before = refused;
    api.failNext(TOKEN_EXPIRED, 2);
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(ChannelOffline);
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(ChannelOffline);
    expect(refused - before).toBe(1);
    await s.send('33612000999', { text: 'x' }, open);
    api.failNext(TOKEN_EXPIRED);
    await expect(s.send('33612000999', { text: 'x' }, open)).rejects.toBeInstanceOf(ChannelOffline);
    expect(refused - before).toBe(2);
  });

  it('outside the window: the template of its kind, or held without any request to Meta', async () => {
    const s = sender();
    await s.send('33612000999', { text: 'How is it going?', kind: 'checkIn' }, closed);
    expect(api.sends.at(-1)?.body).toMatchObject({
      type: 'template',
      template: { name: 'relais_check_in', language: { code: 'en' } },
    });
    const count = api.sends.length;
    await expect(s.send('33612000999', { text: 'Late answer', kind: 'staffReply' }, closed)).rejects.toBeInstanceOf(
      OutsideWindow,
    );
    await expect(
      s.send('33612000999', { text: 'no kind' }, { lastInboundAt: null, language: 'en' }),
    ).rejects.toBeInstanceOf(OutsideWindow);
    expect(api.sends.length).toBe(count);
  });
});
