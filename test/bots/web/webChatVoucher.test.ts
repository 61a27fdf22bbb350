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

/** A person on the web chat (a browser session), in English, with a recharge request on a Slack card. */
async function webPersonWithRecharge(session: string) {
  const contactId = await f.t.relais.db.$transaction(async (tx) => {
    const identity = await resolveIdentity(tx, f.t.relais.secrets, 'WEB', session);
    await tx.contact.update({ where: { id: identity.contactId }, data: { language: 'en', consentAt: new Date() } });
    return identity.contactId;
  });
  const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationA, language: 'en', details: { operator: 'Lycamobile', amount: 10 } });
  return { contactId, request };
}

function webPage(session: string) {
  const app = f.t.relais.app;
  return {
    post: (clientMessageId: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/chat/api/messages', payload: { sessionId: session, clientMessageId, ...body } }),
    fetchAfter: async (after: number) =>
      (await app.inject({ method: 'GET', url: `/chat/api/messages?after=${after}`, headers: { 'x-relais-session': session } })).json<{ messages: Array<{ seq: number; text: string }> }>().messages,
  };
}

async function voucherMessage(requestId: string) {
  return eventually(async () => {
    const m = await f.t.relais.db.message.findFirst({ where: { requestId, direction: 'OUTBOUND' }, select: { id: true, status: true, seq: true } });
    return m?.status === 'SENT' ? m : null;
  });
}

describe('a recharge voucher sent to a web chat person', () => {
  it('whose page was closed is still readable later, through the wipe checks and "My requests", until the page fetched it', async () => {
    const session = 'voucher_page_closed_0123456789abc';
    const page = webPage(session);
    const { request } = await webPersonWithRecharge(session);
    expect((await giveVoucher(request.id)).statusCode).toBe(200);
    const message = await voucherMessage(request.id);
    const recharge = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { requestId: request.id }, select: { id: true } });

    // the wipe checks run (the first one 3 s after queueing): nobody fetched the page, the code stays
    const check = await wipeDeliveredVoucher(f.t.relais.db, { rechargeId: recharge.id, messageId: message.id, round: 0 }, { retentionDays: 30 });
    expect(check.outcome).toBe('waiting');
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await f.t.relais.db.recharge.findUniqueOrThrow({ where: { id: recharge.id } })).voucherCipher).not.toBeNull();
    expect((await requestView(f.t.relais.db, request.id))?.recharge?.voucher).toBe('delivering');

    // the person comes back later and asks "My requests" (the recharge is "Done") before their page asked past the code
    await page.post('v0000001', { kind: 'text', text: 'menu' });
    await eventually(async () => (await page.fetchAfter(0)).some((m) => m.text === f.t.relais.i18n.t('en', 'menu:title')));
    await page.post('v0000002', { kind: 'choice', choiceId: 'myRequests' });
    const done = f.t.relais.i18n.t('en', 'myRequests:status_SERVED');
    const afterList = await eventually(async () => {
      const history = await page.fetchAfter(0);
      return history.some((m) => m.text.includes(done)) ? history : null;
    });
    expect(afterList.some((m) => m.text.includes(VOUCHER))).toBe(true);
    expect(f.t.logs.text).not.toContain(VOUCHER);
  }, 20_000);

  it('is erased once the page fetched it and asked for what follows; the card then says it was sent', async () => {
    const session = 'voucher_page_open_0123456789abcd';
    const page = webPage(session);
    const { request } = await webPersonWithRecharge(session);
    expect((await giveVoucher(request.id)).statusCode).toBe(200);
    const message = await voucherMessage(request.id);
    const recharge = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { requestId: request.id }, select: { id: true } });

    const shown = await page.fetchAfter(0);
    expect(shown.find((m) => m.seq === Number(message.seq))?.text).toContain(VOUCHER);
    expect((await wipeDeliveredVoucher(f.t.relais.db, { rechargeId: recharge.id, messageId: message.id, round: 0 }, { retentionDays: 30 })).outcome).toBe('waiting');

    // the page asks for what comes after the last entry it holds: the code has reached it
    await page.fetchAfter(Math.max(...shown.map((m) => m.seq)));
    expect((await page.fetchAfter(0)).some((m) => m.text.includes(VOUCHER))).toBe(false);
    expect((await wipeDeliveredVoucher(f.t.relais.db, { rechargeId: recharge.id, messageId: message.id, round: 1 }, { retentionDays: 30 })).outcome).toBe('wiped');
    const wiped = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { id: recharge.id } });
    expect(wiped.voucherCipher).toBeNull();
    expect(wiped.sentAt).not.toBeNull();
    expect((await f.t.relais.db.message.findUniqueOrThrow({ where: { id: message.id } })).content).toBeNull();
    expect((await requestView(f.t.relais.db, request.id))?.recharge?.voucher).toBe('sent');
  });

  it('a page never opened again loses the code only at the end of the message retention period', async () => {
    const session = 'voucher_never_opened_0123456789ab';
    const { request } = await webPersonWithRecharge(session);
    expect((await giveVoucher(request.id)).statusCode).toBe(200);
    const message = await voucherMessage(request.id);
    const recharge = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { requestId: request.id }, select: { id: true } });
    const wipe = (now: Date) => wipeDeliveredVoucher(f.t.relais.db, { rechargeId: recharge.id, messageId: message.id, round: 150 }, { retentionDays: 30 }, now);
    expect((await wipe(new Date(Date.now() + 29 * 86_400_000))).outcome).toBe('waiting');
    expect((await wipe(new Date(Date.now() + 31 * 86_400_000))).outcome).toBe('wiped');
    const wiped = await f.t.relais.db.recharge.findUniqueOrThrow({ where: { id: recharge.id } });
    expect(wiped.voucherCipher).toBeNull();
    // never fetched: the card says the code did not reach the person
    expect(wiped.sentAt).toBeNull();
    expect((await requestView(f.t.relais.db, request.id))?.recharge?.voucher).toBe('not_delivered');
  });
});
