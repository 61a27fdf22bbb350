import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveIdentity } from '../../../src/core/contacts/contactService.js';
import { wipeDeliveredVoucher } from '../../../src/core/recharges/voucherWipe.js';
import { requestView } from '../../../src/core/requests/requestQueries.js';
import { eventually } from '../../support/testRelais.js';
import { STAFF, startSlackFixture, type SlackFixture } from '../slack/support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('webchat_voucher');
});
afterAll(async () => {
  await f?.close();
});

const VOUCHER = '4821 7730 1955 0064';
const DAY = 86_400_000;
const en = (key: string) => f.t.relais.i18n.t('en', key);
const giveVoucher = (requestId: string) =>
  f.slack.viewSubmission({
    userId: STAFF.volunteerA,
    callbackId: 'give_recharge',
    metadata: { requestId },
    values: {
      operator: { operator: { type: 'plain_text_input', value: 'Lycamobile' } },
      amount: { amount: { type: 'plain_text_input', value: '10' } },
      kind: { kind: { type: 'radio_buttons', selected_option: { value: 'voucher' } } },
      code: { code: { type: 'plain_text_input', value: VOUCHER } },
    },
  });

/**
 * A person on the web chat (a browser session) in English with a recharge request on a Slack
 * card; a volunteer gives the voucher. Resolves once the voucher message is SENT (fetchable).
 */
async function voucherGivenTo(session: string) {
  const db = f.t.relais.db;
  const contactId = await db.$transaction(async (tx) => {
    const identity = await resolveIdentity(tx, f.t.relais.secrets, 'WEB', session);
    await tx.contact.update({ where: { id: identity.contactId }, data: { language: 'en', consentAt: new Date() } });
    return identity.contactId;
  });
  const details = { operator: 'Lycamobile', amount: 10 };
  const associationId = f.seed.associationA;
  const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId, language: 'en', details });
  expect((await giveVoucher(request.id)).statusCode).toBe(200);
  const message = await eventually(async () => {
    const m = await db.message.findFirst({
      where: { requestId: request.id, direction: 'OUTBOUND' },
      select: { id: true, status: true, seq: true },
    });
    return m?.status === 'SENT' ? m : null;
  });
  const recharge = await db.recharge.findUniqueOrThrow({ where: { requestId: request.id }, select: { id: true } });
  const wipe = (round: number, now = new Date()) =>
    wipeDeliveredVoucher(db, { rechargeId: recharge.id, messageId: message.id, round }, { retentionDays: 30 }, now);
  const state = async () => ({
    recharge: await db.recharge.findUniqueOrThrow({
      where: { id: recharge.id },
      select: { voucherCipher: true, sentAt: true },
    }),
    card: (await requestView(db, request.id))?.recharge?.voucher,
  });
  return { request, message, wipe, state };
}

function webPage(session: string) {
  const app = f.t.relais.app;
  return {
    post: (clientMessageId: string, body: Record<string, unknown>) => {
      const payload = { sessionId: session, clientMessageId, ...body };
      return app.inject({ method: 'POST', url: '/chat/api/messages', payload });
    },
    fetchAfter: async (after: number) => {
      const headers = { 'x-relais-session': session };
      const response = await app.inject({ method: 'GET', url: `/chat/api/messages?after=${after}`, headers });
      return response.json<{ messages: Array<{ seq: number; text: string }> }>().messages;
    },
  };
}

describe('a recharge voucher sent to a web chat person', () => {
  it('whose page was closed is still readable later, through the wipe checks and "My requests"', async () => {
    const session = 'voucher_page_closed_0123456789abc';
    const page = webPage(session);
    const given = await voucherGivenTo(session);

    // the wipe checks run (the first one 3 s after queueing): nobody fetched the page, the code stays
    expect((await given.wipe(0)).outcome).toBe('waiting');
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await given.state()).recharge.voucherCipher).not.toBeNull();
    expect((await given.state()).card).toBe('delivering');

    // the person comes back and asks "My requests" (the recharge is "Done") before their page asked past the code
    await page.post('v0000001', { kind: 'text', text: 'menu' });
    await eventually(async () => (await page.fetchAfter(0)).some((m) => m.text === en('menu:title')));
    await page.post('v0000002', { kind: 'choice', choiceId: 'myRequests' });
    const afterList = await eventually(async () => {
      const history = await page.fetchAfter(0);
      return history.some((m) => m.text.includes(en('myRequests:status_SERVED'))) ? history : null;
    });
    expect(afterList.some((m) => m.text.includes(VOUCHER))).toBe(true);
    expect(f.t.logs.text).not.toContain(VOUCHER);
  }, 20_000);

  it('is erased once the page fetched it and asked for what follows; the card then says it was sent', async () => {
    const session = 'voucher_page_open_0123456789abcd';
    const page = webPage(session);
    const given = await voucherGivenTo(session);

    const shown = await page.fetchAfter(0);
    expect(shown.find((m) => m.seq === Number(given.message.seq))?.text).toContain(VOUCHER);
    expect((await given.wipe(0)).outcome).toBe('waiting');

    // the page asks for what comes after the last entry it holds: the code has reached it
    await page.fetchAfter(Math.max(...shown.map((m) => m.seq)));
    expect((await page.fetchAfter(0)).some((m) => m.text.includes(VOUCHER))).toBe(false);
    expect((await given.wipe(1)).outcome).toBe('wiped');
    const after = await given.state();
    expect(after.recharge.voucherCipher).toBeNull();
    expect(after.recharge.sentAt).not.toBeNull();
    expect(after.card).toBe('sent');
    expect((await f.t.relais.db.message.findUniqueOrThrow({ where: { id: given.message.id } })).content).toBeNull();
  });

  it('a page never opened again loses the code only at the end of the message retention period', async () => {
    const given = await voucherGivenTo('voucher_never_opened_0123456789ab');
    expect((await given.wipe(150, new Date(Date.now() + 29 * DAY))).outcome).toBe('waiting');
    expect((await given.wipe(150, new Date(Date.now() + 31 * DAY))).outcome).toBe('wiped');
    const after = await given.state();
    expect(after.recharge.voucherCipher).toBeNull();
    // never fetched: the card says the code did not reach the person
    expect(after.recharge.sentAt).toBeNull();
    expect(after.card).toBe('not_delivered');
  });
});
