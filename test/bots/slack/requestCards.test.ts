import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import {
  CHANNEL_A,
  CHANNEL_B,
  lastRenderOf,
  STAFF,
  startSlackFixture,
  TRIAGE,
  type SlackFixture,
} from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_cards');
});
afterAll(async () => {
  await f?.close();
});

const PHONE_NUMBER = '+33612345001';

function blockTexts(args: Record<string, unknown> | undefined): string {
  return JSON.stringify(args?.blocks ?? []);
}

describe('request cards', () => {
  it(
    'a new request is posted to its association channel with its essentials, in the staff language, without the ' +
      'phone number',
    async () => {
      const contactId = await f.newPerson(PHONE_NUMBER, 'ti');
      const request = await f.newRequest({
        kind: 'PHONE',
        contactId,
        associationId: f.seed.associationA,
        urgency: 'HIGH',
        language: 'ti',
      });
      expect(request.channel).toBe(CHANNEL_A);
      const post = f.fake.of('chat.postMessage').find((c) => c.args.channel === CHANNEL_A);
      const blocks = blockTexts(post?.args);
      expect(blocks).toContain(request.reference);
      expect(blocks).toContain('Téléphone');
      expect(blocks).toContain('tigrigna');
      expect(blocks).toContain('Urgente');
      expect(blocks).toContain('<!date^');
      expect(blocks).toContain('request.claim');
      expect(blocks).toContain('request.allocate');
      expect(blocks).not.toContain('request.recharge');
      expect(f.fake.allText()).not.toContain('612345001');
      expect(post?.token).toBe('xoxb-test-token');
    },
  );

  it('a request without association goes to the triage channel, flagged reason shown', async () => {
    const contactId = await f.newPerson('+33612345002', 'ar');
    const request = await f.newRequest({
      kind: 'RECHARGE',
      contactId,
      language: 'ar',
      flaggedReason: 'over_quota',
      details: { operator: 'Lycamobile', amount: 10 },
    });
    expect(request.channel).toBe(TRIAGE);
    const post = f.fake.of('chat.postMessage').find((c) => c.args.channel === TRIAGE);
    const blocks = blockTexts(post?.args);
    expect(blocks).toContain('quota');
    expect(blocks).toContain('Lycamobile');
    expect(blocks).toContain('request.recharge');
  });

  it('claiming updates the card in place and records who did it', async () => {
    const contactId = await f.newPerson('+33612345003', 'fa');
    const request = await f.newRequest({
      kind: 'PHONE',
      contactId,
      associationId: f.seed.associationA,
      language: 'fa',
    });
    const response = await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    expect(response.statusCode).toBe(200);
    const update = await eventually(async () => {
      const last = lastRenderOf(f.fake, request.channel, request.ts);
      return last && blockTexts(last).includes(STAFF.volunteerA) ? last : null;
    });
    expect(blockTexts(update)).toContain('Prise en charge');
    expect(blockTexts(update)).toContain('request.release');
    const stored = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.status).toBe('CLAIMED');
    expect(stored.assigneeId).toBe(f.seed.staff.volunteerA);
    const audit = await f.t.relais.db.auditEvent.findFirst({
      where: { entityId: request.id, action: 'request.claimed' },
    });
    expect(audit?.actorId).toBe(f.seed.staff.volunteerA);
    expect(audit?.actorType).toBe('STAFF');
  });

  it('a second claim is refused privately and changes nothing', async () => {
    const contactId = await f.newPerson('+33612345004', 'en');
    const request = await f.newRequest({ kind: 'HELP', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(
      async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'CLAIMED',
    );
    await f.slack.blockAction({
      userId: STAFF.coordinatorA,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const refusal = await eventually(async () =>
      f.fake.of('chat.postEphemeral').find((c) => c.args.user === STAFF.coordinatorA),
    );
    expect(String(refusal.args.text)).toContain('déjà pris');
    const stored = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.assigneeId).toBe(f.seed.staff.volunteerA);
  });

  it("a volunteer of association B cannot act on association A's request", async () => {
    const contactId = await f.newPerson('+33612345005', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const before = f.fake.of('views.open').length;
    await f.slack.blockAction({
      userId: STAFF.volunteerB,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_B,
    });
    await f.slack.blockAction({
      userId: STAFF.volunteerB,
      actionId: 'request.allocate',
      value: request.id,
      channelId: CHANNEL_B,
    });
    await eventually(
      async () => f.fake.of('chat.postEphemeral').filter((c) => c.args.user === STAFF.volunteerB).length >= 2,
    );
    const refusals = f.fake.of('chat.postEphemeral').filter((c) => c.args.user === STAFF.volunteerB);
    expect(refusals.every((c) => String(c.args.text).includes('another association'))).toBe(true);
    expect(f.fake.of('views.open').length).toBe(before);
    const stored = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.status).toBe('OPEN');
  });

  it('an unknown Slack user is politely refused and nothing happens', async () => {
    const contactId = await f.newPerson('+33612345006', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.stranger,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const refusal = await eventually(async () =>
      f.fake.of('chat.postEphemeral').find((c) => c.args.user === STAFF.stranger),
    );
    expect(String(refusal.args.text)).toContain('Relais ne vous connaît pas');
    expect(String(refusal.args.text)).toContain('Relais does not know you');
    expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('OPEN');
  });

  it('closing asks for a reason in a modal and closes the request with it', async () => {
    const contactId = await f.newPerson('+33612345007', 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.close',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const opened = await eventually(async () =>
      f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(request.reference)),
    );
    expect(JSON.stringify(opened.args.view)).toContain('close_request');
    const missing = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'close_request',
      metadata: { requestId: request.id },
      values: { reason: { reason: { type: 'static_select', selected_option: null } } },
    });
    expect(missing.json()).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    const done = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'close_request',
      metadata: { requestId: request.id },
      values: { reason: { reason: { type: 'static_select', selected_option: { value: 'duplicate' } } } },
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toBe('');
    const stored = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.status).toBe('CLOSED');
    expect(stored.closeReason).toBe('duplicate');
    const update = await eventually(async () => {
      const last = lastRenderOf(f.fake, request.channel, request.ts);
      return last && blockTexts(last).includes('doublon') ? last : null;
    });
    expect(blockTexts(update)).not.toContain('request.claim');
  });

  it('a change to a request whose card is missing posts the card (the same publisher as pledge cards)', async () => {
    const contactId = await f.newPerson('+33612345008', 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    // the card's position was lost (its message deleted and forgotten, or never saved)
    await f.t.relais.db.request.update({ where: { id: request.id }, data: { slackChannelId: null, slackTs: null } });
    const posts = () =>
      f.fake
        .of('chat.postMessage')
        .filter(
          (c) =>
            c.args.channel === CHANNEL_A &&
            blockTexts(c.args).includes(request.reference) &&
            blockTexts(c.args).includes('request.claim'),
        );
    expect(posts()).toHaveLength(1);
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const stored = await eventually(async () => {
      const row = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
      return row.slackTs && row.status === 'CLAIMED' ? row : null;
    });
    expect(stored.slackChannelId).toBe(CHANNEL_A);
    expect(
      posts().length +
        f.fake
          .of('chat.postMessage')
          .filter(
            (c) =>
              c.args.channel === CHANNEL_A &&
              blockTexts(c.args).includes(request.reference) &&
              blockTexts(c.args).includes('request.release'),
          ).length,
    ).toBe(2);
  });
});
