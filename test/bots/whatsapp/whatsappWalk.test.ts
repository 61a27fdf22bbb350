import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MENU_ENTRIES } from '../../../src/flows/flowRegistry.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, type TestRelais } from '../../support/testRelais.js';
import { startWhatsAppRelais, WhatsAppPerson } from '../../support/whatsappRelais.js';

let t: TestRelais;
const world = new FakeWhatsApp();
beforeAll(async () => {
  t = await startWhatsAppRelais('wa_walk', world);
});
afterAll(async () => {
  await t?.close();
});

const RLM = '\u200f';
const text = (language: string, key: string) =>
  t.relais.i18n.t(language, key, {
    messageDays: t.config.MESSAGE_RETENTION_DAYS,
    requestDays: t.config.REQUEST_RETENTION_DAYS,
  });

// The walks every channel goes through (a phone request in English, a recharge in Arabic with
// right-to-left numbered choices…) and the shared contract (replays, malformed events, media,
// Postgres down, order) run on WhatsApp in the channel conformance suite (test/conformance/);
// here only what is WhatsApp's own.
describe('WhatsApp end to end (fake whatsapp-web.js client, real Postgres and Redis)', () => {
  it('shows choices as a numbered list, right-aligned in Arabic', async () => {
    const person = new WhatsAppPerson(world, '9647700000003@c.us');
    person.say('سلام');
    const [, , languages] = await person.replies(3);
    const numbered = ['fr', 'en', 'ar', 'fa', 'ps', 'ti', 'ckb', 'am']
      .map((l, i) => `${i + 1}. ${text('en', `languages:${l}`)}`)
      .join('\n');
    expect(languages).toBe(
      `${text('en', 'onboarding:choose_language')}\n\n${numbered}\n\n${text('en', 'common:send_number')}`,
    );
    person.say('٣');
    const [, , menu] = await person.replies(3);
    // the people's menu: no donor entries (donors have their own entry), at most 10 lines
    const shown = MENU_ENTRIES.filter((entry) => entry.audience === 'beneficiary' || entry.audience === 'all');
    const entries = shown.map((entry, i) => `${RLM}${i + 1}. ${text('ar', entry.labelKey)}`);
    expect(menu).toBe(
      `${text('ar', 'menu:title')}\n\n${entries.join('\n')}\n\n${RLM}${text('ar', 'common:send_number')}`,
    );
  });

  it('ignores groups, status updates, broadcast lists, channels and its own messages', async () => {
    const before = await t.relais.db.message.count({ where: { direction: 'INBOUND' } });
    world.write('120363000000000001@g.us', 'hello group', { author: '33600000009@c.us' });
    world.write('status@broadcast', 'my status', { author: '33600000009@c.us', isStatus: true });
    world.write('120363000000000002@newsletter', 'news');
    world.write('33600000010@c.us', 'sent from the bot phone', { fromMe: true });
    world.write('33600000011@c.us', 'to a broadcast list', { broadcast: true });
    // a message from a person afterwards proves the ignored ones were read first
    const person = new WhatsAppPerson(world, '33600000012@c.us');
    person.say('hi');
    await person.replies(3);
    expect(await t.relais.db.message.count({ where: { direction: 'INBOUND' } })).toBe(before + 1);
    for (const jid of [
      '120363000000000001@g.us',
      'status@broadcast',
      '120363000000000002@newsletter',
      '33600000010@c.us',
      '33600000011@c.us',
    ])
      expect(world.textsTo(jid)).toEqual([]);
  });

  it('keeps only whether a shared contact had a number', async () => {
    const person = new WhatsAppPerson(world, '491700000013@c.us');
    person.say('hi');
    await person.replies(3);
    person.say('2');
    await person.replies(3);
    world.write(
      person.jid,
      'BEGIN:VCARD\nVERSION:3.0\nFN:Amal\nTEL;type=CELL;waid=33611111111:+33 6 11 11 11 11\nEND:VCARD',
      {
        type: 'vcard',
        vCards: ['BEGIN:VCARD\nVERSION:3.0\nFN:Amal\nTEL;type=CELL;waid=33611111111:+33 6 11 11 11 11\nEND:VCARD'],
      },
    );
    await eventually(
      async () =>
        (await t.relais.db.message.count({
          where: { direction: 'INBOUND', content: { path: ['kind'], equals: 'contact' } },
        })) > 0,
    );
    const stored = await t.relais.db.message.findFirstOrThrow({
      where: { direction: 'INBOUND', content: { path: ['kind'], equals: 'contact' } },
    });
    expect(stored.content).toEqual({ kind: 'contact', hasPhone: true });
    const everything = JSON.stringify(
      await t.relais.db.message.findMany({ where: { channel: 'WHATSAPP' } }),
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    expect(everything).not.toContain('33611111111');
    expect(everything).not.toContain('491700000013');
  });

  it('never writes a WhatsApp number or message text in the logs', async () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    for (const secret of ['9647700000003', '33600000012', '491700000013', 'سلام'])
      expect(t.logs.text).not.toContain(secret);
  });
});
