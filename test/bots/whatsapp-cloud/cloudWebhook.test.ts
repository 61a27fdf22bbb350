import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { deliverFollowUp } from '../../../src/core/followUps/followUpTasks.js';
import { sendStaffReply } from '../../../src/core/requests/staffReply.js';
import {
  cloudWebhook,
  CloudPerson,
  FakeGraphApi,
  hubSignature,
  RATE_LIMITED,
  TOKEN_EXPIRED,
} from '../../support/fakeGraphApi.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';
import {
  CLOUD_APP_SECRET,
  CLOUD_PHONE_NUMBER_ID,
  CLOUD_VERIFY_TOKEN,
  cloudEnv,
  toCloudReply,
} from '../../conformance/drivers/whatsappCloudDriver.js';

let api: FakeGraphApi;
let t: TestRelais;
let nextNumber = 33_612_000_001;

const TEMPLATES = JSON.stringify({
  checkIn: { name: 'relais_check_in', languages: { en: 'en', ar: 'ar', fr: 'fr' } },
});

beforeAll(async () => {
  api = await new FakeGraphApi('EAAG-conformance-access-token-0123456789').start();
  t = await startTestRelais(
    'wacloud',
    { ...cloudEnv(api), WHATSAPP_CLOUD_TEMPLATES: TEMPLATES, FLOOD_MAX_PER_MINUTE: '400' },
    { transports: channelTransports },
  );
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

const newPerson = (withUserId = true) => {
  const number = String(nextNumber++);
  return new CloudPerson(number, withUserId ? `FR.${number}77` : undefined, CLOUD_PHONE_NUMBER_ID);
};
const post = (raw: string, signature: string | null = hubSignature(raw, CLOUD_APP_SECRET)) =>
  t.relais.app.inject({
    method: 'POST',
    url: '/whatsapp-cloud/webhook',
    payload: raw,
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
  });
const send = (person: CloudPerson, messages: unknown[], statuses: unknown[] = []) =>
  post(JSON.stringify(person.webhook(messages, statuses)));
const inbound = () => t.relais.db.message.count({ where: { channel: 'WHATSAPP_CLOUD', direction: 'INBOUND' } });
const repliesTo = (person: CloudPerson) => api.sentTo(person.address).map(toCloudReply);
const pendingTo = async (person: CloudPerson) =>
  t.relais.db.message.count({
    where: {
      channel: 'WHATSAPP_CLOUD',
      direction: 'OUTBOUND',
      status: 'PENDING',
      identity: { platformIdHash: t.relais.secrets.hash(`WHATSAPP_CLOUD:${person.address}`) },
    },
  });
const contactOf = async (person: CloudPerson) => {
  const identity = await t.relais.db.channelIdentity.findUniqueOrThrow({
    where: {
      channel_platformIdHash: {
        channel: 'WHATSAPP_CLOUD',
        platformIdHash: t.relais.secrets.hash(`WHATSAPP_CLOUD:${person.address}`),
      },
    },
  });
  return identity.contactId;
};

/** What a person picks: the choice whose id contains `match`, else the `index`-th; on a numbered text, its number. */
type Pick = { match?: string; index: number };

/**
 * Answers the latest message with choices, as WhatsApp sends it: a button reply, a list reply,
 * or the choice's number typed under a numbered text (more choices than a list holds).
 */
async function tap(person: CloudPerson, pick: Pick, seen: number) {
  await eventually(async () => (await pendingTo(person)) === 0 && repliesTo(person).length > seen);
  const shown = repliesTo(person)
    .slice(seen)
    .findLast((r) => r.choices.length > 0);
  if (!shown) throw new Error('no message with choices');
  const matched = pick.match ? shown.ids.findIndex((id) => id.includes(pick.match ?? '')) : -1;
  const index = matched >= 0 ? matched : pick.index;
  const id = shown.ids[index] ?? '';
  const title = shown.choices[index] ?? '';
  const reply =
    shown.kind === 'button'
      ? person.buttonReply(id, title)
      : shown.kind === 'list'
        ? person.listReply(id, title)
        : person.text(String(index + 1));
  const before = repliesTo(person).length;
  expect((await send(person, [reply])).statusCode).toBe(200);
  return { kind: shown.kind, before };
}

/** A person who wrote and chose their language from the list; resolves with their contact id. */
async function onboarded(person: CloudPerson, language: 'en' | 'ar' = 'en') {
  expect((await send(person, [person.text('hello')])).statusCode).toBe(200);
  const languages = await tap(person, { match: `lang:${language}`, index: -1 }, 0);
  expect(languages.kind).toBe('list');
  await eventually(async () => repliesTo(person).length > languages.before && (await pendingTo(person)) === 0);
  return { contactId: await contactOf(person), before: languages.before };
}

/**
 * The person onboarded, then silent for 30 h; a volunteer's reply to their request is held
 * (outside the 24-hour window, no template for a free reply).
 */
async function heldStaffReply(person: CloudPerson, text: string) {
  const { contactId } = await onboarded(person);
  await t.relais.db.message.updateMany({
    where: { contactId, direction: 'INBOUND' },
    data: { createdAt: new Date(Date.now() - 30 * 3_600_000) },
  });
  const request = await t.relais.db.request.create({
    data: { reference: `WC-${nextNumber}`, kind: 'PHONE', status: 'OPEN', contactId },
  });
  const association = await t.relais.db.association.create({ data: { slug: `wc-${nextNumber}`, name: 'Relais test' } });
  const staff = await t.relais.db.staffMember.create({
    data: { slackUserId: `U${nextNumber}`, role: 'VOLUNTEER', associationId: association.id },
  });
  const message = await t.relais.db.$transaction((tx) =>
    sendStaffReply(tx, t.relais.i18n, { requestId: request.id, staffId: staff.id, text }),
  );
  if (message) await t.relais.dispatcher.dispatchMessages([message]);
  await eventually(
    async () => (await t.relais.db.message.findUnique({ where: { id: message?.id ?? '' } }))?.status === 'HELD',
  );
  return { contactId, request, message };
}

describe('WhatsApp Cloud API webhook', () => {
  it('answers Meta’s verification handshake only with the verify token', async () => {
    const ok = await t.relais.app.inject({
      method: 'GET',
      url: `/whatsapp-cloud/webhook?hub.mode=subscribe&hub.verify_token=${CLOUD_VERIFY_TOKEN}&hub.challenge=1158201444`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const wrong = await t.relais.app.inject({
      method: 'GET',
      url: '/whatsapp-cloud/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).not.toContain('1158201444');
  });

  it('refuses a missing signature, a wrong one and one over another body with 401, storing nothing', async () => {
    const person = newPerson();
    const raw = JSON.stringify(person.webhook([person.text('hello')]));
    const other = JSON.stringify(person.webhook([person.text('another body')]));
    const before = await inbound();
    expect((await post(raw, null)).statusCode).toBe(401);
    expect((await post(raw, hubSignature(raw, 'not-the-app-secret-000'))).statusCode).toBe(401);
    expect((await post(raw, hubSignature(other, CLOUD_APP_SECRET))).statusCode).toBe(401);
    expect((await post(raw, 'sha256=zz')).statusCode).toBe(401);
    expect(await inbound()).toBe(before);
    expect(api.sentTo(person.address)).toHaveLength(0);
  });

  it('stores every message of a batch (two people, a status) before its 200, and a replay once', async () => {
    const a = newPerson();
    const b = newPerson(false);
    const before = await inbound();
    const body = a.webhook([a.text('bonjour'), a.location(48.88, 2.355)]);
    const value = body.entry[0]!.changes[0]!.value as unknown as Record<string, unknown[]>;
    value.contacts!.push({ profile: { name: 'B' }, wa_id: b.waId });
    value.messages!.push(b.text('salam'));
    value.statuses = [a.status('wamid.unknown-to-relais', 'delivered')];
    const raw = JSON.stringify(body);
    expect((await post(raw)).statusCode).toBe(200);
    expect(await inbound()).toBe(before + 3);
    expect((await post(raw)).statusCode).toBe(200);
    expect(await inbound()).toBe(before + 3);
    // the person without a business-scoped user id is known by their WhatsApp id
    expect(await contactOf(b)).toBeTruthy();
  });

  it(
    'maps a shared contact without keeping its number, ' + 'media to the polite answer, and ignores reactions',
    async () => {
      const person = newPerson();
      await send(person, [person.text('hi')]);
      const card = person.sharedContact();
      const reaction = person.reaction(card.id);
      expect((await send(person, [card, person.image(), reaction])).statusCode).toBe(200);
      const rows = await t.relais.db.message.findMany({
        where: { channel: 'WHATSAPP_CLOUD', direction: 'INBOUND', dedupeKey: { in: [card.id, reaction.id] } },
      });
      expect(rows).toHaveLength(1);
      expect(rows[0]?.content).toEqual({ kind: 'contact', hasPhone: true });
      const stored = await t.relais.db.message.findMany({
        where: { channel: 'WHATSAPP_CLOUD' },
        select: { content: true },
      });
      expect(JSON.stringify(stored)).not.toContain('612345678');
      expect(
        t.logs.lines.some((l) => l.includes('WhatsApp Cloud message ignored') && l.includes('"type":"reaction"')),
      ).toBe(true);
      expect(t.logs.lines.join('\n')).not.toContain('👍');
    },
  );

  it('a change of number arriving from Meta keeps the same contact', async () => {
    const person = newPerson(false);
    await send(person, [person.text('hi')]);
    const contactId = await eventually(async () => contactOf(person));
    const changed = String(nextNumber++);
    const notice = {
      from: person.waId,
      id: `wamid.HBgM${person.waId}system${changed}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'system',
      system: {
        body: `User Amina changed from ${person.waId} to ${changed}`,
        wa_id: changed,
        type: 'user_changed_number',
      },
    };
    // system messages carry no contacts array
    expect((await post(JSON.stringify(cloudWebhook(CLOUD_PHONE_NUMBER_ID, { messages: [notice] })))).statusCode).toBe(
      200,
    );
    const moved = new CloudPerson(changed, undefined, CLOUD_PHONE_NUMBER_ID);
    expect((await send(moved, [moved.text('new phone, same person')])).statusCode).toBe(200);
    const rows = await t.relais.db.message.findMany({
      where: { channel: 'WHATSAPP_CLOUD', direction: 'INBOUND', contactId },
    });
    expect(rows.map((r) => r.content)).toContainEqual({ kind: 'text', text: 'new phone, same person' });
    expect(t.logs.lines.join('\n')).not.toContain(changed);
  });

  it('after a change of number, what waited for the old number goes to the new one, none to the old', async () => {
    const person = newPerson(false);
    const { contactId } = await heldStaffReply(person, 'Your phone is waiting');
    const sentToOld = api.sentTo(person.address).length;

    const changed = String(nextNumber++);
    const notice = {
      from: person.waId,
      id: `wamid.HBgM${person.waId}system${changed}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'system',
      system: { body: `User changed from ${person.waId} to ${changed}`, wa_id: changed, type: 'user_changed_number' },
    };
    expect((await post(JSON.stringify(cloudWebhook(CLOUD_PHONE_NUMBER_ID, { messages: [notice] })))).statusCode).toBe(
      200,
    );
    const moved = new CloudPerson(changed, undefined, CLOUD_PHONE_NUMBER_ID);
    expect((await send(moved, [moved.text('hello from my new number')])).statusCode).toBe(200);
    await eventually(async () =>
      api.sentTo(moved.address).find((s) => JSON.stringify(s.body).includes('Your phone is waiting')),
    );
    // the answer to what they wrote goes to the new number too; the old one gets nothing more
    await eventually(async () => api.sentTo(moved.address).length >= 2);
    expect(api.sentTo(person.address)).toHaveLength(sentToOld);
    const identities = await t.relais.db.channelIdentity.findMany({ where: { contactId } });
    expect(identities).toHaveLength(2);
  });

  it('refuses malformed bodies with 400', async () => {
    for (const body of [
      '{}',
      '{"object":"page","entry":[]}',
      '{"object":',
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ id: 'x' }] } }] }],
      }),
    ]) {
      expect((await post(body)).statusCode).toBe(400);
    }
  });
});

describe('WhatsApp Cloud API replies and window', () => {
  it('walks onboarding with a list and reply buttons in English and in Arabic', async () => {
    for (const language of ['en', 'ar'] as const) {
      const person = newPerson();
      const { contactId, before } = await onboarded(person, language);
      // the menu, for whom, situation, urgency, where they stay (skipped), the summary confirmed
      const steps: Pick[] = [
        { match: 'phone', index: 0 },
        { index: 0 },
        { index: 0 },
        { index: 1 },
        { match: 'skip', index: 0 },
        { index: 0 },
      ];
      const kinds: string[] = [];
      let seen = before;
      for (const step of steps) {
        const tapped = await tap(person, step, seen);
        kinds.push(tapped.kind);
        seen = tapped.before;
      }
      const request = await eventually(async () => t.relais.db.request.findFirst({ where: { contactId } }), 10_000);
      expect(request.kind).toBe('PHONE');
      expect(kinds).toContain('button');
      const last = await eventually(async () => repliesTo(person).find((r) => r.text.includes(request.reference)));
      if (language === 'ar') expect(last.text).toMatch(/[\u0600-\u06ff]/);
    }
    const arabic = newPerson();
    await onboarded(arabic, 'ar');
    // Arabic goes as it is: no mark added inside the interactive message's texts
    for (const send of api.sentTo(arabic.address)) {
      if (send.body.type === 'interactive') expect(JSON.stringify(send.body)).not.toContain('\\u200e');
    }
  });

  it('statuses store delivered and read times, and a failure with its code', async () => {
    const person = newPerson();
    await send(person, [person.text('hi')]);
    const sent = await eventually(async () => api.sentTo(person.address)[0]?.messageId);
    const row = () => t.relais.db.message.findFirstOrThrow({ where: { platformMessageId: sent } });
    await eventually(async () => (await row()).status === 'SENT');
    expect((await send(person, [], [person.status(sent, 'delivered'), person.status(sent, 'read')])).statusCode).toBe(
      200,
    );
    const read = await row();
    expect(read.deliveredAt).toBeInstanceOf(Date);
    expect(read.readAt).toBeInstanceOf(Date);
    const second = await eventually(async () =>
      (
        await t.relais.db.message.findMany({
          where: {
            channel: 'WHATSAPP_CLOUD',
            direction: 'OUTBOUND',
            status: 'SENT',
            deliveredAt: null,
            platformMessageId: { not: null },
          },
        })
      ).find((m) => m.platformMessageId !== sent),
    );
    await send(person, [], [person.status(second.platformMessageId ?? '', 'failed', 131026)]);
    const failed = await t.relais.db.message.findUniqueOrThrow({ where: { id: second.id } });
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toContain('131026');
  });

  it('sends a check-in 3 days after the hand-over as the approved template', async () => {
    const person = newPerson();
    const { contactId } = await onboarded(person);
    await t.relais.db.message.updateMany({
      where: { contactId, direction: 'INBOUND' },
      data: { createdAt: new Date(Date.now() - 3 * 86_400_000) },
    });
    const request = await t.relais.db.request.create({
      data: { reference: `WC-${nextNumber}`, kind: 'PHONE', status: 'SERVED', contactId },
    });
    const followUp = await t.relais.db.followUp.create({
      data: { kind: 'CHECKIN', contactId, requestId: request.id, dueAt: new Date() },
    });
    const outcome = await t.relais.db.$transaction((tx) =>
      deliverFollowUp(tx, t.relais.inbound, followUp.id, new Date()),
    );
    expect(outcome.status).toBe('sent');
    if (outcome.status === 'sent') await t.relais.dispatcher.dispatchMessages(outcome.messages);
    const template = await eventually(async () => api.sentTo(person.address).find((s) => s.body.type === 'template'));
    expect(template.body.template).toMatchObject({ name: 'relais_check_in', language: { code: 'en' } });
    expect(JSON.stringify(template.body)).not.toMatch(/\\n/);
  });

  it(
    'holds a volunteer’s reply after 24 h without a ' + 'template, tells staff, and sends it when the person writes',
    async () => {
      const person = newPerson();
      const { message, request } = await heldStaffReply(person, 'Your phone is ready');
      const alerts = await t.relais.db.outboxJob.findMany({ where: { name: 'staff.alert' } });
      // the alert names the request, so Slack posts it in the request's thread
      expect(alerts.map((a) => a.data)).toContainEqual({
        code: 'message_held_outside_window',
        channel: 'WHATSAPP_CLOUD',
        requestId: request.id,
      });
      expect(api.sentTo(person.address).some((s) => JSON.stringify(s.body).includes('Your phone is ready'))).toBe(
        false,
      );
      await send(person, [person.text('hello?')]);
      await eventually(async () =>
        api.sentTo(person.address).find((s) => JSON.stringify(s.body).includes('Your phone is ready')),
      );
      expect((await t.relais.db.message.findUniqueOrThrow({ where: { id: message?.id ?? '' } })).status).toBe('SENT');
    },
  );

  it('slows down on 130429 without losing a message', async () => {
    const person = newPerson();
    await send(person, [person.text('hi')]);
    const contactId = await eventually(async () => contactOf(person));
    const settled = () => t.relais.db.message.count({ where: { contactId, direction: 'OUTBOUND', status: 'PENDING' } });
    await eventually(async () => (await settled()) === 0);
    const before = api.sentTo(person.address).length;
    api.failNext(RATE_LIMITED, 2, person.address);
    const started = Date.now();
    await send(person, [person.text('menu')]);
    await eventually(async () => api.sentTo(person.address).length > before && (await settled()) === 0, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const refused = api.sends.filter(
      (s) => s.status === 400 && (s.body.to === person.address || s.body.recipient === person.address),
    );
    expect(refused).toHaveLength(2);
    expect(
      await t.relais.db.message.count({
        where: {
          channel: 'WHATSAPP_CLOUD',
          direction: 'OUTBOUND',
          status: 'FAILED',
          contact: { identities: { some: {} } },
          lastError: { contains: '130429' },
        },
      }),
    ).toBe(0);
  });

  it('pauses on a refused token, tells staff once, and keeps the messages', async () => {
    const person = newPerson();
    api.failNext(TOKEN_EXPIRED, 50);
    await send(person, [person.text('hi')]);
    await send(person, [person.text('hello')]);
    const contactId = await contactOf(person);
    await eventually(async () => api.sends.filter((s) => s.status === 401).length >= 1);
    const pending = await t.relais.db.message.count({ where: { contactId, direction: 'OUTBOUND', status: 'PENDING' } });
    expect(pending).toBeGreaterThan(0);
    const alerts = await eventually(async () => {
      const jobs = await t.relais.db.outboxJob.findMany({ where: { name: 'staff.alert' } });
      const token = jobs.filter((a) => JSON.stringify(a.data).includes('whatsapp_cloud_token_invalid'));
      return token.length > 0 ? token : null;
    });
    expect(alerts).toHaveLength(1);
  });
});
