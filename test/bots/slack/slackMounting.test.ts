import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlackSignature } from '../../../src/bots/slack/receiver/slackSignature.js';
import { createSlackTransport } from '../../../src/bots/slack/slackTransport.js';
import { eventually } from '../../support/testRelais.js';
import { slackSignature } from './support/slackRequests.js';
import { CHANNEL_A, SIGNING_SECRET, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_mount');
});
afterAll(async () => {
  await f?.close();
});

const now = () => Math.floor(Date.now() / 1000);

describe('Slack signature check', () => {
  const body = Buffer.from('payload=%7B%7D');
  it('accepts a fresh signature of the exact bytes and refuses anything else', () => {
    const ts = now();
    const signature = slackSignature(SIGNING_SECRET, body.toString(), ts);
    expect(
      checkSlackSignature({ signingSecret: SIGNING_SECRET, rawBody: body, signature, timestamp: String(ts) }),
    ).toBe('valid');
    expect(
      checkSlackSignature({
        signingSecret: SIGNING_SECRET,
        rawBody: Buffer.from('payload=%7B%20%7D'),
        signature,
        timestamp: String(ts),
      }),
    ).toBe('mismatch');
    expect(
      checkSlackSignature({ signingSecret: 'another-secret', rawBody: body, signature, timestamp: String(ts) }),
    ).toBe('mismatch');
    expect(
      checkSlackSignature({
        signingSecret: SIGNING_SECRET,
        rawBody: body,
        signature: undefined,
        timestamp: String(ts),
      }),
    ).toBe('missing');
    expect(
      checkSlackSignature({ signingSecret: SIGNING_SECRET, rawBody: body, signature, timestamp: 'yesterday' }),
    ).toBe('missing');
    expect(
      checkSlackSignature({
        signingSecret: SIGNING_SECRET,
        rawBody: body,
        signature: signature.replace('v0=', 'v1='),
        timestamp: String(ts),
      }),
    ).toBe('missing');
  });

  it('refuses timestamps more than five minutes away, in the past or the future', () => {
    for (const ts of [now() - 301, now() + 301]) {
      const signature = slackSignature(SIGNING_SECRET, body.toString(), ts);
      expect(
        checkSlackSignature({ signingSecret: SIGNING_SECRET, rawBody: body, signature, timestamp: String(ts) }),
      ).toBe('stale');
    }
  });
});

describe('Slack requests through Fastify', () => {
  it('a bad, missing or old signature gets 401 and nothing is done', async () => {
    const contactId = await f.newPerson('+33655550001', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const callsBefore = f.fake.calls.length;
    const action = {
      type: 'block_actions',
      user: { id: STAFF.volunteerA },
      trigger_id: 'T1',
      channel: { id: CHANNEL_A },
      actions: [{ action_id: 'request.claim', type: 'button', value: request.id }],
    };
    const payload = `payload=${encodeURIComponent(JSON.stringify(action))}`;
    const form = 'application/x-www-form-urlencoded';
    const attempts = [
      await f.slack.post(payload, form, { secret: 'not-the-signing-secret' }),
      await f.slack.post(payload, form, { sign: false }),
      await f.slack.post(payload, form, { timestamp: now() - 6 * 60 }),
      await f.slack.post(payload, form, { headers: { 'x-slack-signature': 'v0=deadbeef' }, sign: false }),
    ];
    for (const response of attempts) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'RELAIS_BAD_SIGNATURE' });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(f.fake.calls.length).toBe(callsBefore);
    expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('OPEN');
    const good = await f.slack.post(payload, form);
    expect(good.statusCode).toBe(200);
    await eventually(
      async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'CLAIMED',
    );
  });

  it('answers the URL verification challenge, and 400 to a signed body that is not a Slack payload', async () => {
    const challenge = await f.slack.post(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }),
      'application/json',
    );
    expect(challenge.json()).toEqual({ challenge: 'c-123' });
    expect((await f.slack.post('{not json', 'application/json')).statusCode).toBe(400);
    expect((await f.slack.post('<xml/>', 'text/xml')).statusCode).toBe(400);
  });

  it('an unknown user typing /relais is told politely, in French and English, and shown nothing', async () => {
    const response = await f.slack.command({ userId: STAFF.stranger, text: 'requests' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.response_type).toBe('ephemeral');
    expect(String(body.text)).toContain('Relais does not know you');
    expect(String(body.text)).not.toContain('P-');
  });

  it('a replayed event (same event id, X-Slack-Retry-Num) has no second effect', async () => {
    const phone = '+33655550002';
    const contactId = await f.newPerson(phone, 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    const event = {
      type: 'message',
      channel: request.channel,
      user: STAFF.volunteerA,
      text: 'We can meet tomorrow',
      ts: '1700008888.000100',
      thread_ts: request.ts,
    };
    const responses = [await f.slack.event(event, { eventId: 'Ev0MOUNT0001' })];
    // Slack retries almost at once, then after a minute and five minutes; play the three retries
    for (const retryNum of [1, 2, 3]) responses.push(await f.slack.event(event, { eventId: 'Ev0MOUNT0001', retryNum }));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const received = () => f.people.textsTo(phone).filter((t) => t.endsWith('We can meet tomorrow'));
    await eventually(async () => received().length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(received()).toHaveLength(1);
    expect(await f.t.relais.db.processedEvent.count({ where: { key: 'slack:event:Ev0MOUNT0001' } })).toBe(1);
  });

  it('acknowledges interactivity at once and does the slow work after the acknowledgement', async () => {
    const contactId = await f.newPerson('+33655550003', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    f.fake.slowDown('views.open', 3500);
    const started = Date.now();
    const response = await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.allocate',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const answeredIn = Date.now() - started;
    expect(response.statusCode).toBe(200);
    expect(answeredIn).toBeLessThan(1000);
    await eventually(
      async () => f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(request.reference)),
      8000,
    );
    f.fake.slowDown('views.open', 0);
  });
});

describe('Slack modes', () => {
  it('Socket Mode mounts no HTTP route and keeps the same tasks; off means no Slack at all', async () => {
    const tasks = ['request.created', 'request.changed', 'request.message', 'staff.alert', 'pledge.created'];
    const socket = await createSlackTransport({
      ...f.t.relais,
      config: { ...f.t.config, SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-1-test' },
    });
    expect(socket?.registerRoutes).toBeUndefined();
    expect(typeof socket?.start).toBe('function');
    expect(Object.keys(socket?.tasks ?? {})).toEqual(expect.arrayContaining(tasks));
    // HTTP mode in a worker (no HTTP surface): the same tasks, nothing that receives
    const worker = await createSlackTransport({ ...f.t.relais, servesHttp: false });
    expect(worker?.registerRoutes).toBeUndefined();
    expect(worker?.start).toBeUndefined();
    expect(Object.keys(worker?.tasks ?? {}).sort()).toEqual(Object.keys(socket?.tasks ?? {}).sort());
    expect(await createSlackTransport({ ...f.t.relais, config: { ...f.t.config, SLACK_MODE: 'off' } })).toBeNull();
  });
});
