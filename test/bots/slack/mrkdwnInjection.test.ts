import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../../src/core/devices/imei.js';
import { createPledge } from '../../../src/core/pledges/pledgeService.js';
import { eventually } from '../../support/testRelais.js';
import {
  CHANNEL_B,
  lastRenderOf,
  STAFF,
  startSlackFixture,
  TRIAGE,
  type SlackFixture,
} from './support/slackFixture.js';
import type { SlackCall } from './support/fakeSlackApi.js';

const ADMIN_TOKEN = 'mrkdwn-admin-token-0123456789abcdef';
/** What an attacker puts in a stock import, an association name or a pledge to ping, phish or restyle. */
const HOSTILE_MODEL = 'Evil <!channel> <https://evil|click> <@U123> & *bold*';
const ESCAPED_MODEL = 'Evil &lt;!channel&gt; &lt;https://evil|click&gt; &lt;@U123&gt; &amp; ∗bold∗';
const HOSTILE_GRADE = '<!here>';
const HOSTILE_ASSOCIATION = 'Auberge <!channel> & *co*';
const ESCAPED_ASSOCIATION = 'Auberge &lt;!channel&gt; &amp; ∗co∗';
const RAW = ['<!channel>', '<!here>', '<https://evil|click>', '<@U123>', '*bold*', '*co*', ' & '];

let f: SlackFixture;
let deviceId = '';
beforeAll(async () => {
  f = await startSlackFixture('slack_mrkdwn', { ADMIN_TOKEN });
  const db = f.t.relais.db;
  await db.association.update({ where: { id: f.seed.associationB }, data: { name: HOSTILE_ASSOCIATION } });
  // the attack: a refurbisher's delivery imported through the admin API like any other
  const csv =
    'imei,model,grade,certificate\r\n' +
    `${withCheckDigit('35693803564400')},"${HOSTILE_MODEL}",${HOSTILE_GRADE},EC-EVIL\r\n`;
  const imported = await f.t.relais.app.inject({
    method: 'POST',
    url: `/api/v1/devices/import?associationId=${f.seed.associationB}`,
    payload: csv,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
  });
  expect(imported.statusCode).toBe(201);
  deviceId = (await db.device.findFirstOrThrow({ where: { associationId: f.seed.associationB }, select: { id: true } }))
    .id;
});
afterAll(async () => {
  await f?.close();
});

/** The mrkdwn a payload carries holds no hostile value as Slack would run it. */
function expectEscaped(payload: string): void {
  for (const raw of RAW) expect(payload, `raw ${raw}`).not.toContain(raw);
}
const mrkdwnOf = (call: SlackCall | undefined) => JSON.stringify({ text: call?.args.text, blocks: call?.args.blocks });
const postedAbout = (reference: string, channel: string) =>
  f.fake.of('chat.postMessage').find((c) => c.args.channel === channel && JSON.stringify(c.args).includes(reference));

describe('values from data in Slack Block Kit texts', () => {
  it(
    'a stock import with <!channel>, <https://evil|click>, <@U123>, & and *bold* in model and grade is shown ' +
      'escaped by /relais stock',
    async () => {
      const answer = (await f.slack.command({ userId: STAFF.volunteerB, text: 'stock' })).json();
      const payload = JSON.stringify({ text: answer.text, blocks: answer.blocks });
      expect(payload).toContain(ESCAPED_MODEL);
      expect(payload).toContain('&lt;!here&gt;: 1');
      expect(payload).toContain(ESCAPED_ASSOCIATION);
      expectEscaped(payload);
    },
  );

  it(
    'the allocation modal and the request card show the hostile device and association escaped (options stay plain ' +
      'text)',
    async () => {
      const contactId = await f.newPerson('+33655550001', 'en');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationB });
      const posted = postedAbout(request.reference, CHANNEL_B);
      expect(mrkdwnOf(posted)).toContain(ESCAPED_ASSOCIATION);
      expectEscaped(mrkdwnOf(posted));

      await f.slack.blockAction({
        userId: STAFF.volunteerB,
        actionId: 'request.allocate',
        value: request.id,
        channelId: CHANNEL_B,
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(request.reference)),
      );
      const view = opened.args.view as { blocks: Array<{ type: string; text?: { type: string; text: string } }> };
      const mrkdwn = view.blocks.flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : [])).join('\n');
      expect(mrkdwn).toContain(ESCAPED_ASSOCIATION);
      expectEscaped(mrkdwn);
      // Slack never parses plain_text: the option shows the model as it is, and cannot ping
      const option = JSON.stringify({ type: 'plain_text', text: `${HOSTILE_MODEL} · grade <!here>` }).slice(0, -2);
      expect(JSON.stringify(view.blocks)).toContain(option);

      await f.slack.viewSubmission({
        userId: STAFF.volunteerB,
        callbackId: 'allocate_device',
        metadata: { requestId: request.id },
        values: {
          'device:*': { device: { type: 'static_select', selected_option: { value: deviceId } } },
          appointment_at: { at: { type: 'datetimepicker', selected_date_time: null } },
          appointment_place: { place: { type: 'plain_text_input', value: null } },
        },
      });
      const card = await eventually(async () => {
        const render = lastRenderOf(f.fake, request.channel, request.ts);
        return render && JSON.stringify(render.blocks).includes('IMEI') ? render : null;
      });
      const text = JSON.stringify({ text: card.text, blocks: card.blocks });
      expect(text).toContain(`📦 ${ESCAPED_MODEL} · grade &lt;!here&gt;`);
      expectEscaped(text);
    },
  );

  it('what a person asked for a recharge (operator, amount) is escaped on the request card', async () => {
    const contactId = await f.newPerson('+33655550002', 'en');
    const details = { operator: '<!channel> *Lyca*', amount: '<@U123>' };
    const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationB, details });
    const payload = mrkdwnOf(postedAbout(request.reference, request.channel));
    expect(payload).toContain('&lt;!channel&gt; ∗Lyca∗ &lt;@U123&gt;');
    expectEscaped(payload);
    expect(payload).not.toContain('*Lyca*');
  });

  it(
    'a pledge whose pickup window, fleet age and condition ' + 'carry links, mentions and marks gets an escaped card',
    async () => {
      const contactId = await f.newPerson('+33655550003', 'en');
      const { pledge, taskId } = await f.t.relais.db.$transaction((tx) =>
        createPledge(tx, {
          contactId,
          draft: {
            kind: 'EQUIPMENT',
            donorKind: 'COMPANY',
            items: [{ kind: 'smartphone', quantity: 3 }],
            pickupWindow: '<https://evil|click> & <!channel>',
            fleetAge: '<@U123>',
            condition: '*bold*',
            certificateRequired: false,
            donor: { name: 'Acme', email: 'donor@acme.example' },
          },
        }),
      );
      await f.t.relais.dispatcher.dispatchJobs([taskId]);
      const posted = await eventually(async () => postedAbout(pledge.reference, TRIAGE));
      const payload = mrkdwnOf(posted);
      expect(payload).toContain('&lt;https://evil|click&gt; &amp; &lt;!channel&gt;');
      expect(payload).toContain('&lt;@U123&gt; · ∗bold∗');
      expectEscaped(payload);
    },
  );
});
