import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTask } from '../../../src/core/queue/enqueueTask.js';
import { purgeExpiredData } from '../../../src/core/retention/retentionPurge.js';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, CHANNEL_B, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_reveal');
});
afterAll(async () => {
  await f?.close();
});

const TYPED = 'Appelez-moi au 06 12 34 56 78 ou écrivez à amina.k@exemple.fr <!channel> merci';
const SECRETS = ['06 12 34 56 78', '0612345678', '612345678', 'amina.k@exemple.fr', 'amina'];

/**
 * What the flows do when a person writes into their request's conversation (the message is
 * stored on the request, `request.message` emitted); resolves once it is in the thread.
 */
async function personWrites(contactId: string, request: { id: string; ts: string }, text: string) {
  const { db } = f.t.relais;
  const identity = await db.channelIdentity.findFirstOrThrow({ where: { contactId } });
  const { messageId, taskId } = await db.$transaction(async (tx) => {
    const message = await tx.message.create({
      data: {
        channel: 'TELEGRAM',
        direction: 'INBOUND',
        status: 'PROCESSED',
        dedupeKey: `in-${Date.now()}-${Math.random()}`,
        identityId: identity.id,
        contactId,
        requestId: request.id,
        content: { kind: 'text', text },
      },
    });
    const task = await enqueueTask(tx, 'request.message', { requestId: request.id, messageId: message.id });
    return { messageId: message.id, taskId: task };
  });
  await f.t.relais.dispatcher.dispatchJobs([taskId]);
  const posted = await eventually(async () =>
    f.fake.of('chat.postMessage').find((c) => c.args.thread_ts === request.ts && String(c.args.text).startsWith('👤')),
  );
  return { messageId, posted };
}

const revealsOf = (messageId: string) =>
  f.t.relais.db.auditEvent.findMany({ where: { action: 'message.contact_revealed', entityId: messageId } });
const ephemeralsTo = (user: string) => f.fake.of('chat.postEphemeral').filter((c) => c.args.user === user);
const clickShow = (userId: string, messageId: string, channelId: string) =>
  f.slack.blockAction({ userId, actionId: 'relay.reveal', value: messageId, channelId });

async function newConversation(platformId: string) {
  const contactId = await f.newPerson(platformId, 'fr');
  const request = await f.newRequest({ kind: 'CONTACT', contactId, associationId: f.seed.associationA });
  return { contactId, request };
}

describe('phone numbers and e-mail addresses a person types in the volunteer chat', () => {
  it(
    'a phone number and an e-mail address typed by a ' + 'person are masked in the Slack thread and never reach Slack',
    async () => {
      const { contactId, request } = await newConversation('+33677770001');
      const { messageId, posted } = await personWrites(contactId, request, TYPED);
      const masked =
        `👤 ${request.reference}: Appelez-moi au 📞 _un numéro de téléphone a été partagé_ ` +
        'ou écrivez à ✉️ _une adresse e-mail a été partagée_ &lt;!channel&gt; merci';
      expect(posted.args.text).toBe(masked);
      const blocks = JSON.stringify(posted.args.blocks);
      expect(blocks).toContain(JSON.stringify(masked).slice(1, -1));
      const show = {
        type: 'button',
        action_id: 'relay.reveal',
        text: { type: 'plain_text', text: 'Afficher', emoji: true },
        value: messageId,
      };
      expect(blocks).toContain(JSON.stringify(show));
      for (const secret of SECRETS) expect(f.fake.allText()).not.toContain(secret);
    },
  );

  it(
    'Show reveals the message to the volunteer who clicked only (ephemeral, in the thread) and audits it without ' +
      'the number',
    async () => {
      const { contactId, request } = await newConversation('+33677770002');
      const { messageId } = await personWrites(contactId, request, TYPED);
      const before = ephemeralsTo(STAFF.volunteerA).length;
      expect((await clickShow(STAFF.volunteerA, messageId, CHANNEL_A)).statusCode).toBe(200);
      const shown = await eventually(async () => ephemeralsTo(STAFF.volunteerA)[before]);
      expect(shown.args).toMatchObject({ channel: CHANNEL_A, user: STAFF.volunteerA, thread_ts: request.ts });
      expect(String(shown.args.text)).toContain(
        '06 12 34 56 78 ou écrivez à amina.k@exemple.fr &lt;!channel&gt; merci',
      );
      expect(f.fake.of('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('amina.k@'))).toEqual([]);

      const audit = await revealsOf(messageId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorType: 'STAFF',
        actorId: f.seed.staff.volunteerA,
        entityType: 'Message',
        associationId: f.seed.associationA,
        data: { requestId: request.id, phones: 1, emails: 1 },
      });
      for (const secret of SECRETS) expect(JSON.stringify(audit[0])).not.toContain(secret);
    },
  );

  it(
    'a volunteer of another association or a stranger clicking Show (a forged click) is refused, sees nothing, ' +
      'nothing is audited',
    async () => {
      const { contactId, request } = await newConversation('+33677770003');
      const { messageId } = await personWrites(contactId, request, TYPED);
      const callsBefore = f.fake.calls.length;
      const ephemeralSince = (user: string) =>
        f.fake.calls.slice(callsBefore).find((c) => c.method === 'chat.postEphemeral' && c.args.user === user);
      await clickShow(STAFF.volunteerB, messageId, CHANNEL_B);
      const refused = await eventually(async () => ephemeralSince(STAFF.volunteerB));
      expect(String(refused.args.text)).toContain('another association');
      await clickShow(STAFF.stranger, messageId, CHANNEL_A);
      await eventually(async () => ephemeralSince(STAFF.stranger));
      const sentSince = f.fake.calls.slice(callsBefore).map((c) => decodeURIComponent(c.raw.replace(/\+/g, ' ')));
      for (const secret of SECRETS) expect(sentSince.join('\n')).not.toContain(secret);
      expect(await revealsOf(messageId)).toEqual([]);
    },
  );

  it('once the message content was purged by retention, Show says so and reveals nothing', async () => {
    const { contactId, request } = await newConversation('+33677770004');
    const { messageId } = await personWrites(contactId, request, TYPED);
    // the daily retention job, run as if MESSAGE_RETENTION_DAYS (30) had passed
    await purgeExpiredData(f.t.relais.db, f.t.config, new Date(Date.now() + 31 * 86_400_000));
    expect((await f.t.relais.db.message.findUniqueOrThrow({ where: { id: messageId } })).content).toBeNull();
    const before = ephemeralsTo(STAFF.volunteerA).length;
    await clickShow(STAFF.volunteerA, messageId, CHANNEL_A);
    const told = await eventually(async () => ephemeralsTo(STAFF.volunteerA)[before]);
    expect(String(told.args.text)).toContain('effacé après 30 jours');
    expect(await revealsOf(messageId)).toEqual([]);
  });

  it('a message without a number or an address is relayed as before, without a Show button', async () => {
    const { contactId, request } = await newConversation('+33677770005');
    const { posted } = await personWrites(contactId, request, 'Je viens demain à 14h30, P-1042');
    expect(posted.args.text).toBe(`👤 ${request.reference}: Je viens demain à 14h30, P-1042`);
    expect(posted.args.blocks).toBeUndefined();
  });
});
