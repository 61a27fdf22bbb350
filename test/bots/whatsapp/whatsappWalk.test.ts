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
  t.relais.i18n.t(language, key, { messageDays: t.config.MESSAGE_RETENTION_DAYS, requestDays: t.config.REQUEST_RETENTION_DAYS });

/** One exchange: what the person types, and the i18n keys of Relais' answers in order. */
interface WalkStep {
  say: string;
  expect: string[];
  /** language of the answers when it is not yet the walk's (first contact: English) */
  in?: string;
}

interface Walk {
  title: string;
  jid: string;
  language: string;
  rtl: boolean;
  steps: WalkStep[];
}

// To walk a new flow end to end (phone request, recharge…), add its steps to both walks:
// `{ say: '١', expect: ['phone:who_for'] }` — numbers in any digit script, or a label.
const walks: Walk[] = [
  {
    title: 'English, left to right, answering by number and by label',
    jid: '447700900001@c.us',
    language: 'en',
    rtl: false,
    steps: [
      { say: 'Hello', in: 'en', expect: ['onboarding:welcome', 'privacy:notice_short', 'onboarding:choose_language'] },
      { say: '2', expect: ['onboarding:language_set', 'privacy:how_to_erase', 'menu:title'] },
      // request a phone: by number and by label
      { say: '1', expect: ['phone:for_whom'] },
      { say: '1', expect: ['phone:situation'] },
      { say: '2', expect: ['phone:urgency'] },
      // no association in this database: the flow goes straight to where the person stays
      { say: '1', expect: ['phone:stay'] },
      { say: 'Skip', expect: ['phone:summary'] },
      { say: '1', expect: ['phone:created', 'phone:next_step_triage', 'menu:after_done'] },
      { say: 'My data', expect: ['privacy:notice_full', 'privacy:what_next'] },
      { say: 'main menu', expect: ['menu:title'] },
    ],
  },
  {
    title: 'Arabic, right to left, answering in Arabic-Indic digits',
    jid: '9647700000002@c.us',
    language: 'ar',
    rtl: true,
    steps: [
      { say: 'مرحبا', in: 'en', expect: ['onboarding:welcome', 'privacy:notice_short', 'onboarding:choose_language'] },
      { say: '٣', expect: ['onboarding:language_set', 'privacy:how_to_erase', 'menu:title'] },
      // request a recharge, answering in Arabic-Indic digits
      { say: '٢', expect: ['recharge:operator'] },
      { say: '١', expect: ['recharge:offer'] },
      { say: '١', expect: ['recharge:summary'] },
      { say: '١', expect: ['recharge:created', 'recharge:next_step', 'menu:after_done'] },
      // the menu's numbers still work under the short line: 10 is "My data"
      { say: '١٠', expect: ['privacy:notice_full', 'privacy:what_next'] },
      { say: '٢', expect: ['menu:title'] },
    ],
  },
];

/** The first line of a translation as a pattern in which {{params}} match anything. */
function firstLinePattern(translation: string): RegExp {
  const line = translation.split('\n')[0] ?? '';
  return new RegExp(`^${line.split(/\{\{\w+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

describe('WhatsApp end to end (fake whatsapp-web.js client, real Postgres and Redis)', () => {
  for (const walk of walks) {
    it(`walks first contact, language choice and the menu: ${walk.title}`, async () => {
      const person = new WhatsAppPerson(world, walk.jid);
      for (const step of walk.steps) {
        person.say(step.say);
        const replies = await person.replies(step.expect.length);
        const language = step.in ?? walk.language;
        // the first line of each reply identifies it (later lines may hold the person's answers)
        replies.forEach((reply, i) => expect(reply.split('\n')[0], `${step.say} → ${step.expect[i]}`).toMatch(firstLinePattern(text(language, step.expect[i] ?? ''))));
        for (const line of replies.flatMap((r) => r.split('\n')).filter((l) => /^\u200f?\d+\. /.test(l))) {
          expect(line.startsWith(RLM)).toBe(language === walk.language ? walk.rtl : false);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(person.unseen()).toEqual([]);
      const contact = await t.relais.db.contact.findFirstOrThrow({ where: { language: walk.language } });
      expect(contact.consentAt).not.toBeNull();
    });
  }

  it('shows choices as a numbered list, right-aligned in Arabic', async () => {
    const person = new WhatsAppPerson(world, '9647700000003@c.us');
    person.say('سلام');
    const [, , languages] = await person.replies(3);
    expect(languages).toBe(`${text('en', 'onboarding:choose_language')}\n\n${['fr', 'en', 'ar', 'fa', 'ps', 'ti', 'ckb', 'am'].map((l, i) => `${i + 1}. ${text('en', `languages:${l}`)}`).join('\n')}\n\n${text('en', 'common:send_number')}`);
    person.say('٣');
    const [, , menu] = await person.replies(3);
    // the people's menu: no donor entries (donors have their own entry), at most 10 lines
    const shown = MENU_ENTRIES.filter((entry) => entry.audience === 'beneficiary' || entry.audience === 'all');
    const entries = shown.map((entry, i) => `${RLM}${i + 1}. ${text('ar', entry.labelKey)}`);
    expect(menu).toBe(`${text('ar', 'menu:title')}\n\n${entries.join('\n')}\n\n${RLM}${text('ar', 'common:send_number')}`);
  });

  it('a replayed WhatsApp message id has no second effect', async () => {
    const person = new WhatsAppPerson(world, '33612345678@c.us');
    const first = person.say('Bonjour');
    await person.replies(3);
    world.deliver(first);
    world.deliver(first);
    // a later message of the same chat is handled after the replays (one chat, in order)
    person.say('1');
    const afterChoice = await person.replies(3);
    expect(afterChoice[0]).toBe(text('fr', 'onboarding:language_set'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(person.unseen()).toEqual([]);
    const inbound = await t.relais.db.message.count({ where: { channel: 'WHATSAPP', direction: 'INBOUND', identity: { contactId: (await contactOf('33612345678@c.us')).contactId } } });
    expect(inbound).toBe(2);
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
    for (const jid of ['120363000000000001@g.us', 'status@broadcast', '120363000000000002@newsletter', '33600000010@c.us', '33600000011@c.us']) expect(world.textsTo(jid)).toEqual([]);
  });

  it('answers a voice message politely and keeps only whether a shared contact had a number', async () => {
    const person = new WhatsAppPerson(world, '491700000013@c.us');
    person.say('hi');
    await person.replies(3);
    person.say('2');
    await person.replies(3);
    world.write(person.jid, '', { type: 'ptt', hasMedia: true });
    expect((await person.replies(1))[0]).toBe(text('en', 'common:attachment_unsupported'));
    await person.replies(1); // the menu again
    world.write(person.jid, 'BEGIN:VCARD\nVERSION:3.0\nFN:Amal\nTEL;type=CELL;waid=33611111111:+33 6 11 11 11 11\nEND:VCARD', { type: 'vcard', vCards: ['BEGIN:VCARD\nVERSION:3.0\nFN:Amal\nTEL;type=CELL;waid=33611111111:+33 6 11 11 11 11\nEND:VCARD'] });
    await eventually(async () => (await t.relais.db.message.count({ where: { direction: 'INBOUND', content: { path: ['kind'], equals: 'contact' } } })) > 0);
    const stored = await t.relais.db.message.findFirstOrThrow({ where: { direction: 'INBOUND', content: { path: ['kind'], equals: 'contact' } } });
    expect(stored.content).toEqual({ kind: 'contact', hasPhone: true });
    const everything = JSON.stringify(await t.relais.db.message.findMany({ where: { channel: 'WHATSAPP' } }), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(everything).not.toContain('33611111111');
    expect(everything).not.toContain('491700000013');
  });

  it('never writes a WhatsApp number or message text in the logs', async () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    for (const secret of ['447700900001', '9647700000002', '33612345678', '491700000013', 'Bonjour', 'مرحبا']) expect(t.logs.text).not.toContain(secret);
  });
});

async function contactOf(jid: string) {
  return eventually(async () => t.relais.db.channelIdentity.findUnique({ where: { channel_platformIdHash: { channel: 'WHATSAPP', platformIdHash: t.relais.secrets.hash(`WHATSAPP:${jid}`) } } }));
}

