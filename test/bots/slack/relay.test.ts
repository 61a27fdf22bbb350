import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTask } from '../../../src/core/queue/enqueueTask.js';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_relay');
});
afterAll(async () => {
  await f?.close();
});

/**
 * What the flows do when a person writes into an open conversation: store the message on the request, emit
 * `request.message`.
 */
async function personWrites(contactId: string, requestId: string, text: string) {
  const identity = await f.t.relais.db.channelIdentity.findFirstOrThrow({ where: { contactId } });
  const taskId = await f.t.relais.db.$transaction(async (tx) => {
    const message = await tx.message.create({
      data: {
        channel: 'TELEGRAM',
        direction: 'INBOUND',
        status: 'PROCESSED',
        dedupeKey: `in-${Date.now()}-${Math.random()}`,
        identityId: identity.id,
        contactId,
        requestId,
        content: { kind: 'text', text },
      },
    });
    return enqueueTask(tx, 'request.message', { requestId, messageId: message.id });
  });
  await f.t.relais.dispatcher.dispatchJobs([taskId]);
}

describe('relay between a person and volunteers', () => {
  it(
    'Reply opens the thread; what a volunteer writes there reaches the person once, even when Slack retries the ' +
      'event',
    async () => {
      const phone = '+33644440001';
      const contactId = await f.newPerson(phone, 'fa');
      const request = await f.newRequest({
        kind: 'CONTACT',
        contactId,
        associationId: f.seed.associationA,
        language: 'fa',
      });

      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.reply',
        value: request.id,
        channelId: CHANNEL_A,
      });
      const intro = await eventually(async () =>
        f.fake.of('chat.postMessage').find((c) => c.args.thread_ts === request.ts),
      );
      expect(String(intro.args.text)).toContain(request.reference);
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('fil')),
      );

      const event = {
        type: 'message',
        channel: request.channel,
        user: STAFF.volunteerA,
        text: 'Bonjour <@UVOLA0001>, venez demain <https://relais.example/plan|au local> &amp; apportez le chargeur',
        ts: '1700009999.000100',
        thread_ts: request.ts,
      };
      const first = await f.slack.event(event, { eventId: 'Ev0RELAY0001' });
      expect(first.statusCode).toBe(200);
      const volunteerText = 'Bonjour, venez demain au local (https://relais.example/plan) & apportez le chargeur';
      const delivered = await eventually(
        async () => f.people.sent.find((m) => m.address === phone && m.content.text.endsWith(volunteerText))?.content,
      );
      expect(delivered.text).toBe(
        `${f.t.relais.i18n.t('fa', 'volunteer:staff_header', { reference: request.reference })}\n${volunteerText}`,
      );
      expect(delivered.rtl).toBe(true);

      const replay = await f.slack.event(event, { eventId: 'Ev0RELAY0001', retryNum: 1 });
      expect(replay.statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      // the reply reaches the person once (the volunteer chat that reopens after it is a separate prompt)
      expect(f.people.textsTo(phone).filter((t) => t.endsWith(volunteerText))).toHaveLength(1);
      expect(await f.t.relais.db.message.count({ where: { requestId: request.id, direction: 'OUTBOUND' } })).toBe(1);
      expect(f.fake.of('reactions.add').filter((c) => c.args.timestamp === event.ts)).toHaveLength(1);
      const audit = await f.t.relais.db.auditEvent.findMany({
        where: { action: 'request.replied', entityId: request.id },
      });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0]?.data)).not.toContain('chargeur');
    },
  );

  it("the person's messages come back into the thread, escaped, without their phone number", async () => {
    const phone = '+33644440002';
    const contactId = await f.newPerson(phone, 'ar');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    await personWrites(contactId, request.id, 'شكرا <!channel> سأأتي غدا');
    const posted = await eventually(async () =>
      f.fake
        .of('chat.postMessage')
        .find((c) => c.args.thread_ts === request.ts && String(c.args.text).startsWith('👤')),
    );
    expect(posted.args.text).toBe(`👤 ${request.reference}: شكرا &lt;!channel&gt; سأأتي غدا`);
    expect(posted.args.channel).toBe(CHANNEL_A);
    expect(f.fake.allText()).not.toContain('644440002');
    const identity = await f.t.relais.db.channelIdentity.findFirstOrThrow({ where: { contactId } });
    expect(f.fake.allText()).not.toContain(identity.platformIdHash);
  });

  it('a person writing <script> or <!here> reaches the thread as text: no markup, no mention', async () => {
    const contactId = await f.newPerson('+33644440009', 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    await personWrites(contactId, request.id, '<script>alert(1)</script> <!here> <@UVOLA0001> & co');
    const posted = await eventually(async () =>
      f.fake
        .of('chat.postMessage')
        .find((c) => c.args.thread_ts === request.ts && String(c.args.text).startsWith('👤')),
    );
    expect(posted.args.text).toBe(
      `👤 ${request.reference}: &lt;script&gt;alert(1)&lt;/script&gt; &lt;!here&gt; &lt;@UVOLA0001&gt; &amp; co`,
    );
  });

  it('a volunteer of another association writing in the thread is refused and nothing is sent', async () => {
    const phone = '+33644440003';
    const contactId = await f.newPerson(phone, 'en');
    const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
    await f.slack.event({
      type: 'message',
      channel: request.channel,
      user: STAFF.volunteerB,
      text: 'hello',
      ts: '1700009999.000200',
      thread_ts: request.ts,
    });
    await f.slack.event({
      type: 'message',
      channel: request.channel,
      user: STAFF.stranger,
      text: 'hello',
      ts: '1700009999.000300',
      thread_ts: request.ts,
    });
    await f.slack.event({
      type: 'message',
      subtype: 'bot_message',
      channel: request.channel,
      bot_id: 'BOTHER',
      text: 'bot says',
      ts: '1700009999.000400',
      thread_ts: request.ts,
    });
    await eventually(
      async () => f.fake.of('chat.postEphemeral').filter((c) => c.args.thread_ts === request.ts).length >= 2,
    );
    const refusals = f.fake.of('chat.postEphemeral').filter((c) => c.args.thread_ts === request.ts);
    expect(refusals.map((c) => c.args.user).sort()).toEqual([STAFF.stranger, STAFF.volunteerB].sort());
    expect(await f.t.relais.db.message.count({ where: { requestId: request.id, direction: 'OUTBOUND' } })).toBe(0);
    expect(f.people.textsTo(phone)).toEqual([]);
  });
});
