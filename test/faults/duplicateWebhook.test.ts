import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { FAULT_BOT_ID, startFaultRelais, type FaultRelais } from './support/faultRelais.js';

let f: FaultRelais;
beforeAll(async () => {
  f = await startFaultRelais('fault_dup');
});
afterAll(async () => {
  await f?.close();
});

const storedCopies = (updateId: number) =>
  f.relais.db.message.count({ where: { channel: 'TELEGRAM', dedupeKey: `tg:${FAULT_BOT_ID}:${updateId}` } });
const settle = () => new Promise((r) => setTimeout(r, 800));

describe('the same Telegram update delivered three times', () => {
  it('delivered three times at once, is stored once and answered once', async () => {
    const person = new TelegramUpdateFactory(4101);
    const start = person.command('/start');
    const answers = await Promise.all([f.post(start), f.post(start), f.post(start)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(await storedCopies(start.update_id)).toBe(1);
    await eventually(async () => f.api.textsTo(4101).length >= 3);
    await settle();
    expect(f.api.textsTo(4101)).toHaveLength(3);
    expect(await f.relais.db.contact.count()).toBe(1);
  });

  it('delivered three times one after the other, is stored once and answered once', async () => {
    const person = new TelegramUpdateFactory(4102);
    await f.post(person.command('/start'));
    await eventually(async () => f.api.textsTo(4102).length >= 3);
    const choice = person.callback('lang:en');
    for (let i = 0; i < 3; i++) expect((await f.post(choice)).statusCode).toBe(200);
    expect(await storedCopies(choice.update_id)).toBe(1);
    await eventually(async () => f.api.textsTo(4102).length > 3);
    await settle();
    const afterChoice = f.api.textsTo(4102).slice(3);
    expect(afterChoice.length).toBeGreaterThan(0);
    // one set of replies: no text of the turn repeated
    expect(new Set(afterChoice).size).toBe(afterChoice.length);
    const outbound = await f.relais.db.message.count({ where: { direction: 'OUTBOUND' } });
    expect(outbound).toBe(f.api.callsOf('sendMessage').length);
  });
});
