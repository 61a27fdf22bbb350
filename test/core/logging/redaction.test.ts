import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { eventually, LogCapture, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');
beforeAll(async () => {
  t = await startTestRelais('redaction', { LOG_LEVEL: 'trace' }, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

describe('logs', () => {
  it('never contain message text, names or phone numbers, even at trace level', async () => {
    const phone = '+33698765432';
    await channel.text(phone, "Je m'appelle Ahmadullah Karimi, mon numéro est 0698765432");
    await channel.text(phone, '2');
    await channel.text(phone, 'Ahmadullah Karimi 0698765432');
    await eventually(async () => channel.textsTo(phone).length >= 6);
    await t.relais.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      payload: {
        kind: 'text',
        sessionId: 'redaction_session_0123456789',
        clientMessageId: 'm0000001',
        text: 'Ahmadullah Karimi 0698765432',
      },
    });
    const logs = t.logs.text;
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['Ahmadullah', 'Karimi', '0698765432', '33698765432', 'redaction_session'])
      expect(logs).not.toContain(secret);
  });

  it('censors personal fields a careless log call would include', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    log.info(
      { text: 'secret words', phone: '+33600000000', user: { name: 'Amina', chatId: 42 }, content: { text: 'x' } },
      'careless',
    );
    expect(capture.text).not.toMatch(/secret words|33600000000|Amina|"chatId":42/);
    expect(capture.text).toContain('[redacted]');
  });
});
