import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, lastRenderOf, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_recharge');
});
afterAll(async () => {
  await f?.close();
});

const VOUCHER = '7391 0482 5566 1209';
const values = (code: string, amount = '10') => ({
  operator: { operator: { type: 'plain_text_input', value: 'Lycamobile' } },
  amount: { amount: { type: 'plain_text_input', value: amount } },
  kind: { kind: { type: 'radio_buttons', selected_option: { value: 'voucher' } } },
  code: { code: { type: 'plain_text_input', value: code } },
});

/** The prefilled value of a modal's text input, read from the views.open payload. */
function initialValue(view: unknown, blockId: string): string | undefined {
  const blocks = (view as { blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> }).blocks;
  return blocks.find((b) => b.block_id === blockId)?.element?.initial_value;
}

describe('giving a recharge from Slack', () => {
  it(
    'the code reaches the person in their language, is ' + 'erased once sent, and never appears in any Slack call',
    async () => {
      const phone = '+33633330001';
      const contactId = await f.newPerson(phone, 'fa');
      const request = await f.newRequest({
        kind: 'RECHARGE',
        contactId,
        associationId: f.seed.associationA,
        language: 'fa',
        details: { operator: 'Lycamobile', amount: 10 },
      });

      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.recharge',
        value: request.id,
        channelId: CHANNEL_A,
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(request.reference)),
      );
      expect(JSON.stringify(opened.args.view)).toContain('"initial_value":"Lycamobile"');

      const badAmount = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'give_recharge',
        metadata: { requestId: request.id },
        values: values(VOUCHER, 'ten'),
      });
      expect(badAmount.json()).toMatchObject({
        response_action: 'errors',
        errors: { amount: expect.stringContaining('montant') },
      });

      const response = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'give_recharge',
        metadata: { requestId: request.id },
        values: values(VOUCHER),
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');

      const told = await eventually(async () => f.people.lastTo(phone));
      expect(told.text).toContain(VOUCHER);
      expect(told.text).toContain('Lycamobile 10 €');
      expect(told.rtl).toBe(true);

      const recharge = await eventually(async () => {
        const r = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { requestId: request.id } });
        return r.voucherCipher === null && r.sentAt ? r : null;
      });
      expect(recharge.operator).toBe('Lycamobile');
      expect(recharge.amountCents).toBe(1000);
      const stored = await f.t.relais.db.message.findFirstOrThrow({
        where: { requestId: request.id, direction: 'OUTBOUND' },
      });
      expect(stored.content).toBeNull();
      expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('SERVED');

      const card = await eventually(async () => {
        const last = lastRenderOf(f.fake, request.channel, request.ts);
        return last && JSON.stringify(last.blocks).includes('code envoyé') ? last : null;
      });
      expect(JSON.stringify(card.blocks)).not.toContain('request.recharge');

      const audit = await f.t.relais.db.auditEvent.findFirstOrThrow({
        where: { action: 'recharge.given', actorId: f.seed.staff.volunteerA },
      });
      expect(JSON.stringify(audit.data)).not.toContain('7391');
      for (const fragment of [VOUCHER, VOUCHER.replace(/ /g, ''), '7391 0482', '5566 1209'])
        expect(f.fake.allText()).not.toContain(fragment);
      expect(f.t.logs.text).not.toContain('7391');
    },
  );

  it('a second recharge for the same request is refused in the modal', async () => {
    const contactId = await f.newPerson('+33633330002', 'en');
    const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationA });
    const first = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'give_recharge',
      metadata: { requestId: request.id },
      values: values('11112222'),
    });
    expect(first.body).toBe('');
    const second = await f.slack.viewSubmission({
      userId: STAFF.coordinatorA,
      callbackId: 'give_recharge',
      metadata: { requestId: request.id },
      values: values('33334444'),
    });
    expect(second.json()).toEqual({
      response_action: 'errors',
      errors: { code: 'Cette demande a déjà été servie ou a déjà un appareil.' },
    });
    expect(await f.t.relais.db.recharge.count({ where: { requestId: request.id } })).toBe(1);
  });

  it('a volunteer of another association cannot give a recharge for this request', async () => {
    const contactId = await f.newPerson('+33633330003', 'en');
    const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationA });
    const response = await f.slack.viewSubmission({
      userId: STAFF.volunteerB,
      callbackId: 'give_recharge',
      metadata: { requestId: request.id },
      values: values('55556666'),
    });
    expect(response.json()).toMatchObject({
      response_action: 'errors',
      errors: { code: expect.stringContaining('another association') },
    });
    expect(await f.t.relais.db.recharge.count({ where: { requestId: request.id } })).toBe(0);
    expect(f.people.textsTo('+33633330003')).toEqual([]);
  });

  it(
    'the modal is prefilled with what the person asked, as labels: the operator’s name, the amount of a credit ' +
      'offer',
    async () => {
      const contactId = await f.newPerson('+33633330004', 'fr');
      // the details exactly as the recharge flow records them
      const credit = await f.newRequest({
        kind: 'RECHARGE',
        contactId,
        associationId: f.seed.associationA,
        details: { operator: 'lycamobile', offer: 'eur10' },
      });
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.recharge',
        value: credit.id,
        channelId: CHANNEL_A,
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(credit.reference)),
      );
      const view = JSON.stringify(opened.args.view);
      expect(initialValue(opened.args.view, 'operator')).toBe('Lycamobile');
      expect(initialValue(opened.args.view, 'amount')).toBe('10');
      expect(view).toContain('Demandé : Lycamobile, crédit de 10 €');
      for (const code of ['lycamobile', 'eur10']) expect(view).not.toContain(code);
      const card = JSON.stringify(
        f.fake
          .of('chat.postMessage')
          .find((c) => c.args.ts === undefined && String(c.args.text).includes(credit.reference))?.args.blocks,
      );
      expect(card).toContain('Demandé : Lycamobile, crédit de 10 €');

      const data = await f.newRequest({
        kind: 'RECHARGE',
        contactId,
        associationId: f.seed.associationA,
        details: { operator: 'other', operatorOther: 'Lebara Mobile FR', offer: 'data4gb' },
      });
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.recharge',
        value: data.id,
        channelId: CHANNEL_A,
      });
      const dataOpened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(data.reference)),
      );
      const dataView = JSON.stringify(dataOpened.args.view);
      expect(initialValue(dataOpened.args.view, 'operator')).toBe('Lebara Mobile FR');
      expect(dataView).toContain('Demandé : Lebara Mobile FR, Internet 4 Go');
      expect(dataView).not.toContain('data4gb');
      // a data pack has no price in the request: the volunteer types it
      expect(initialValue(dataOpened.args.view, 'amount')).toBeUndefined();
    },
  );
});
