import { readFile } from 'node:fs/promises';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_A, STAFF, startSlackFixture, type SlackFixture } from '../bots/slack/support/slackFixture.js';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { ADMIN_TOKEN, startSecurityRelais, TELEGRAM_SECRET, type SecurityRelais } from './support/securityRelais.js';

let s: SecurityRelais;
let f: SlackFixture;
beforeAll(async () => {
  s = await startSecurityRelais('credentials');
  f = await startSlackFixture('credentials_slack');
});
afterAll(async () => {
  await s?.close();
  await f?.close();
});

const inject = (options: InjectOptions) => s.t.relais.app.inject(options);
const messages = () => s.t.relais.db.message.count();

describe('every secret is compared in constant time', () => {
  it.each([
    ['src/bots/telegram/telegramWebhookRoute.ts', 'safeEqual(given, deps.secret)'],
    ['src/bots/slack/receiver/slackSignature.ts', 'safeEqual(signature, expected)'],
    ['src/core/apiTokens/apiTokenService.ts', 'safeEqual(presented, adminToken)'],
    ['src/bots/whatsapp/adminBearer.ts', 'safeEqual(match[1], adminToken)'],
  ])('%s uses safeEqual, never ===, on the secret', async (file, call) => {
    const source = await readFile(new URL(`../../${file}`, import.meta.url), 'utf8');
    expect(source).toContain(call);
    expect(source).not.toMatch(
      /[!=]==?\s*(deps\.secret|adminToken|expected)\b|\b(deps\.secret|adminToken|expected)\s*[!=]==?/,
    );
  });
});

describe('Telegram secret token', () => {
  it('missing, wrong or differently cased → 401 and nothing stored; the right one → 200', async () => {
    const person = new TelegramUpdateFactory(5_300_000_001, 'en');
    const before = await messages();
    for (const secret of [
      null,
      'wrong',
      TELEGRAM_SECRET.toUpperCase(),
      TELEGRAM_SECRET.toLowerCase(),
      `${TELEGRAM_SECRET} `,
    ]) {
      expect((await s.telegram(person.text('hi'), secret)).statusCode).toBe(401);
    }
    expect(await messages()).toBe(before);
    expect((await s.telegram(person.text('hi'))).statusCode).toBe(200);
  });

  it('a replayed update (same update_id) is stored and answered once', async () => {
    const person = new TelegramUpdateFactory(5_300_000_002, 'en');
    const update = person.command('/start');
    for (let i = 0; i < 3; i++) expect((await s.telegram(update)).statusCode).toBe(200);
    await eventually(async () => s.botApi.textsTo(person.chatId).length >= 3);
    const answered = s.botApi.textsTo(person.chatId).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(s.botApi.textsTo(person.chatId)).toHaveLength(answered);
    expect(
      await s.t.relais.db.message.count({
        where: { channel: 'TELEGRAM', direction: 'INBOUND', dedupeKey: { endsWith: `:${update.update_id}` } },
      }),
    ).toBe(1);
  });
});

describe('Slack signatures', () => {
  const body = JSON.stringify({ token: 'x', type: 'url_verification', challenge: 'c1' });

  it('missing, wrong, or 6 minutes old with a correct signature for that time → 401', async () => {
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await f.slack.post(body, 'application/json', { sign: false })).statusCode).toBe(401);
    expect((await f.slack.post(body, 'application/json', { secret: 'not-the-signing-secret' })).statusCode).toBe(401);
    expect((await f.slack.post(body, 'application/json', { timestamp: old })).statusCode).toBe(401);
    expect((await f.slack.post(body, 'application/json')).statusCode).toBe(200);
  });

  it('a valid request replayed byte for byte (same signature, same timestamp) has no second effect', async () => {
    const phone = '+33677770001';
    const contactId = await f.newPerson(phone, 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    const timestamp = Math.floor(Date.now() / 1000);
    const raw = JSON.stringify({
      token: 'x',
      team_id: 'T00000001',
      api_app_id: 'A00000001',
      type: 'event_callback',
      event_id: 'Ev0REPLAY001',
      event_time: timestamp,
      event: {
        type: 'message',
        channel: CHANNEL_A,
        user: STAFF.volunteerA,
        text: 'See you at 3',
        ts: '1700007777.000100',
        thread_ts: request.ts,
      },
    });
    for (let i = 0; i < 3; i++)
      expect((await f.slack.post(raw, 'application/json', { timestamp })).statusCode).toBe(200);
    await eventually(async () => f.people.textsTo(phone).some((t) => t.endsWith('See you at 3')));
    await new Promise((r) => setTimeout(r, 300));
    expect(f.people.textsTo(phone).filter((t) => t.endsWith('See you at 3'))).toHaveLength(1);
  });
});

describe('admin API token and WhatsApp QR page', () => {
  it('missing, wrong or revoked → 401; a token without the scope → 403', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const created = await inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin,
      payload: { name: 'reader', scopes: ['read'] },
    });
    const reader = created.json<{ id: string; token: string }>();
    const as = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
    expect((await inject({ method: 'GET', url: '/api/v1/associations', headers: as() })).statusCode).toBe(401);
    expect(
      (await inject({ method: 'GET', url: '/api/v1/associations', headers: as(`${ADMIN_TOKEN}x`) })).statusCode,
    ).toBe(401);
    expect(
      (await inject({ method: 'GET', url: '/api/v1/associations', headers: as(ADMIN_TOKEN.toUpperCase()) })).statusCode,
    ).toBe(401);
    expect((await inject({ method: 'GET', url: '/api/v1/associations', headers: as(reader.token) })).statusCode).toBe(
      200,
    );
    expect(
      (
        await inject({
          method: 'POST',
          url: '/api/v1/associations',
          headers: as(reader.token),
          payload: { slug: 'nope', name: 'Nope' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/tokens/${reader.id}`, headers: admin })).statusCode,
    ).toBeLessThan(300);
    expect((await inject({ method: 'GET', url: '/api/v1/associations', headers: as(reader.token) })).statusCode).toBe(
      401,
    );
    expect(await s.t.relais.db.association.count({ where: { slug: 'nope' } })).toBe(0);
  });

  it('the QR page wants the admin token (401 without or wrong; 404 here as WhatsApp is off)', async () => {
    expect((await inject({ method: 'GET', url: '/admin/whatsapp/qr' })).statusCode).toBe(401);
    expect(
      (
        await inject({
          method: 'GET',
          url: '/admin/whatsapp/qr',
          headers: { authorization: 'Bearer wrong-token-0123456789' },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (await inject({ method: 'GET', url: '/admin/whatsapp/qr', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }))
        .statusCode,
    ).toBe(404);
  });
});

describe('body size limits', () => {
  it('an oversized body gets 413 on every route family and nothing is stored', async () => {
    const before = { messages: await messages(), associations: await s.t.relais.db.association.count() };
    const big = (bytes: number) => JSON.stringify({ text: 'x'.repeat(bytes) });
    const telegram = await s.telegram(big(300 * 1024));
    const slack = await s.slack.post(big(1100 * 1024), 'application/json');
    const web = await inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        kind: 'text',
        sessionId: 'big_session_0123456789abcdef',
        clientMessageId: 'big00001',
        text: 'x'.repeat(17 * 1024),
      }),
    });
    const admin = await inject({
      method: 'POST',
      url: '/api/v1/associations',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ slug: 'big', name: 'x'.repeat(300 * 1024) }),
    });
    const imported = await inject({
      method: 'POST',
      url: '/api/v1/devices/import?associationId=00000000-0000-4000-8000-000000000000',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: big(2100 * 1024),
    });
    expect([telegram, slack, web, admin, imported].map((r) => r.statusCode)).toEqual([413, 413, 413, 413, 413]);
    expect({ messages: await messages(), associations: await s.t.relais.db.association.count() }).toEqual(before);
  });
});
