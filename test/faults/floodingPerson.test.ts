import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { startFaultRelais, type FaultRelais } from './support/faultRelais.js';

let f: FaultRelais;
beforeAll(async () => {
  // the limit of the earlier default keeps the delivery of the answered turns short
  f = await startFaultRelais('fault_flood', { env: { FLOOD_MAX_PER_MINUTE: '20' } });
});
afterAll(async () => {
  await f?.close();
});

describe('one person flooding the Telegram webhook', () => {
  it('100 messages in a row get one polite answer that they will be read shortly, every one is stored, and another ' +
    'person is answered normally', async () => {
    const flooder = new TelegramUpdateFactory(4301);
    const other = new TelegramUpdateFactory(4302);
    await f.post(flooder.command('/start'));
    await f.post(flooder.callback('lang:en'));
    await eventually(async () => f.api.textsTo(4301).length >= 5);
    const before = f.api.textsTo(4301).length;

    const started = Date.now();
    const flood = Array.from({ length: 100 }, (_, i) => flooder.text(`spam ${i}`));
    // Telegram delivers one chat's updates one after the other (the next once the previous got
    // its 200), as fast as we answer; the other person writes meanwhile
    const otherStarting = f.post(other.command('/start'));
    const answers = [];
    for (const update of flood) answers.push(await f.post(update));
    const otherStart = await otherStarting;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(otherStart.statusCode).toBe(200);

    const polite = f.relais.i18n.t('en', 'common:too_many_messages');
    // the flooder's 20 answered turns leave one after the other (order per person), then the notice
    await eventually(async () => f.api.textsTo(4301).includes(polite), 45_000, 200);
    await eventually(async () => f.api.textsTo(4302).length >= 3, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const sent = f.api.textsTo(4301).slice(before);
    expect(sent.filter((t) => t === polite)).toHaveLength(1);
    // FLOOD_MAX_PER_MINUTE answered turns at most in the window, then the notice; the rest waits for the next window
    expect(sent.length).toBeLessThanOrEqual(2 * f.relais.config.FLOOD_MAX_PER_MINUTE + 1);
    expect(sent.at(-1)).toBe(polite);
    expect(
      await f.relais.db.message.count({ where: { direction: 'INBOUND', content: { path: ['kind'], equals: 'text' } } }),
    ).toBe(100);
  }, 90_000);
});
