import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackTransport } from '../../../src/bots/slack/slackTransport.js';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import { resolveIdentity } from '../../../src/core/contacts/contactService.js';
import { prismaRunner } from '../../../src/core/db/sqlRunner.js';
import { createRequest } from '../../../src/core/requests/requestService.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';
import { fakeWhatsAppTransports, WHATSAPP_TEST_ENV } from '../../support/whatsappRelais.js';
import { FakeSlackApi } from './support/fakeSlackApi.js';
import { SIGNING_SECRET } from './support/slackFixture.js';
import { SlackRequester } from './support/slackRequests.js';

const CHANNEL = 'CFORMAT001';
const VOLUNTEER = 'UFORMAT01';
const TELEGRAM_CHAT = '770001';
const WHATSAPP_CHAT = '33612345670@c.us';
const TYPED = '*Bring* your _old_ phone, not ~tomorrow~: <https://relais.example/plan|the map> &amp; `*123#`';

const bot = new FakeBotApi();
const slackApi = new FakeSlackApi();
const world = new FakeWhatsApp();
let t: TestRelais;
let slack: SlackRequester;
let associationId: string;

beforeAll(async () => {
  await bot.start();
  await slackApi.start();
  t = await startTestRelais(
    'slack_relay_formatting',
    {
      ...WHATSAPP_TEST_ENV,
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApi.url,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: '123456:TEST-token',
      TELEGRAM_API_ROOT: bot.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-0123456789',
      TELEGRAM_RATE_PER_CHAT_MS: '0',
    },
    {
      transports: async (core) => {
        const slackTransport = await createSlackTransport(core);
        return [
          ...(slackTransport ? [slackTransport] : []),
          createTelegramTransport(core.config, core.log),
          ...fakeWhatsAppTransports(world)(core),
        ];
      },
    },
  );
  await eventually(async () => world.current);
  slack = new SlackRequester(t.relais.app, SIGNING_SECRET, slackApi.responseUrl);
  const association = await t.relais.db.association.create({
    data: { slug: 'format', name: 'Format', slackChannelId: CHANNEL },
  });
  associationId = association.id;
  await t.relais.db.staffMember.create({
    data: { slackUserId: VOLUNTEER, associationId, role: 'VOLUNTEER', language: 'en' },
  });
});
afterAll(async () => {
  await t?.close();
  await slackApi.stop();
  await bot.close();
});

/** A person on `channel` with an open CONTACT request whose card is in Slack. */
async function personWithCard(channel: 'TELEGRAM' | 'WHATSAPP', platformId: string) {
  const db = t.relais.db;
  if (channel === 'WHATSAPP') {
    // WhatsApp is only ever sent to people who wrote first
    world.write(platformId, 'hello');
    await eventually(
      async () => (await db.message.count({ where: { channel: 'WHATSAPP', direction: 'INBOUND' } })) > 0,
    );
  }
  const { request, taskId } = await db.$transaction(async (tx) => {
    const identity = await resolveIdentity(tx, t.relais.secrets, channel, platformId);
    await tx.contact.update({ where: { id: identity.contactId }, data: { language: 'en', consentAt: new Date() } });
    return createRequest(prismaRunner(tx), {
      kind: 'CONTACT',
      contactId: identity.contactId,
      associationId,
      urgency: 'NORMAL',
      language: 'en',
      details: {},
      flaggedReason: null,
    });
  });
  await t.relais.dispatcher.dispatchJobs([taskId]);
  const ts = await eventually(async () => (await db.request.findUniqueOrThrow({ where: { id: request.id } })).slackTs);
  return { ...request, ts };
}

async function volunteerWrites(threadTs: string, ts: string) {
  const answer = await slack.event({
    type: 'message',
    channel: CHANNEL,
    user: VOLUNTEER,
    text: TYPED,
    ts,
    thread_ts: threadTs,
  });
  expect(answer.statusCode).toBe(200);
}

describe('a volunteer’s formatted reply, through the real channel adapters', () => {
  it('reaches Telegram as plain text (no parse mode, no stray marks) and WhatsApp with its own markup', async () => {
    const onTelegram = await personWithCard('TELEGRAM', TELEGRAM_CHAT);
    const onWhatsApp = await personWithCard('WHATSAPP', WHATSAPP_CHAT);
    await volunteerWrites(onTelegram.ts, '1700020000.000100');
    await volunteerWrites(onWhatsApp.ts, '1700020000.000200');

    const header = (reference: string) => t.relais.i18n.t('en', 'volunteer:staff_header', { reference });
    const telegram = await eventually(async () =>
      bot.calls.find(
        (c) =>
          c.method === 'sendMessage' &&
          String(c.body.chat_id) === TELEGRAM_CHAT &&
          String(c.body.text).startsWith(header(onTelegram.reference)),
      ),
    );
    expect(telegram.body.text).toBe(
      `${header(onTelegram.reference)}\n` +
        'Bring your old phone, not tomorrow: the map (https://relais.example/plan) & *123#',
    );
    expect(telegram.body.parse_mode).toBeUndefined();

    const whatsapp = await eventually(async () =>
      world.textsTo(WHATSAPP_CHAT).find((text) => text.startsWith(header(onWhatsApp.reference))),
    );
    expect(whatsapp).toBe(
      `${header(onWhatsApp.reference)}\n` +
        '*Bring* your _old_ phone, not ~tomorrow~: the map (https://relais.example/plan) & `*123#`',
    );
  });
});
