import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCollectedDevices } from '../../../src/core/pledges/pledgeDevices.js';
import { receiptContent, receiptData } from '../../../src/core/pledges/pledgeReceipt.js';
import { createPledge } from '../../../src/core/pledges/pledgeService.js';
import type { PledgeDraft } from '../../../src/core/pledges/pledgeDraft.js';
import { eventually } from '../../support/testRelais.js';
import { startSlackFixture, type SlackFixture } from './support/slackFixture.js';

const PLEDGES = 'CPLEDGELB1';
const ADMIN_TOKEN = 'pledge-labels-admin-token-0123456789';
/** The ids the donor flows record: none of them may reach a person as they are */
const CODES = [
  'next_weeks',
  '2to4',
  'working',
  'COMPANY',
  'SMARTPHONE',
  'LAPTOP',
  'COLLECTED',
  'IN_STOCK',
  'EQUIPMENT',
];

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_pledge_labels', { SLACK_PLEDGES_CHANNEL: PLEDGES, ADMIN_TOKEN });
});
afterAll(async () => {
  await f?.close();
});

async function companyPledge(draft: Partial<PledgeDraft>) {
  const contactId = await f.newPerson('+33699980001', 'fr');
  const donor = { name: 'Marie Dupont', organisation: 'Acme Industries SAS', email: 'marie@acme.example' };
  const { pledge, taskId } = await f.t.relais.db.$transaction((tx) =>
    createPledge(tx, {
      contactId,
      draft: {
        kind: 'EQUIPMENT',
        donorKind: 'COMPANY',
        items: [
          { kind: 'smartphone', quantity: 1 },
          { kind: 'laptop', quantity: 12 },
        ],
        donor,
        ...draft,
      },
    }),
  );
  await f.t.relais.dispatcher.dispatchJobs([taskId]);
  await eventually(async () => (await f.t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledge.id } })).slackTs);
  return pledge;
}

describe('what staff and donors read of a pledge is labels, never the flows’ codes', () => {
  it('the card shows the pickup window, the fleet’s age and condition as words', async () => {
    const pledge = await companyPledge({ pickupWindow: 'next_weeks', fleetAge: '2to4', condition: 'working' });
    const post = f.fake
      .of('chat.postMessage')
      .find((c) => c.args.channel === PLEDGES && String(c.args.text).includes(pledge.reference));
    const card = JSON.stringify(post?.args.blocks);
    expect(card).toContain('D’ici deux semaines');
    expect(card).toContain('2 à 4 ans · fonctionnels');
    expect(card).toContain('1 × smartphone');
    for (const code of CODES) expect(card).not.toContain(code);
  });

  it('a window the donor typed is shown as typed', async () => {
    const pledge = await companyPledge({ pickupWindow: 'mardi matin' });
    const post = f.fake
      .of('chat.postMessage')
      .find((c) => c.args.channel === PLEDGES && String(c.args.text).includes(pledge.reference));
    expect(JSON.stringify(post?.args.blocks)).toContain('mardi matin');
  });

  it(
    'the receipt names the donor kind, device kinds ' + 'and statuses in words, with the company’s legal name',
    async () => {
      const pledge = await companyPledge({ pickupWindow: 'this_week' });
      const actor = { type: 'STAFF' as const, id: f.seed.staff.coordinatorA };
      await f.t.relais.db.$transaction((tx) =>
        registerCollectedDevices(
          tx,
          pledge.id,
          [
            { kind: 'SMARTPHONE', model: 'Fairphone 3', serial: 'FP3-0001' },
            { kind: 'LAPTOP', model: 'ThinkPad T480', serial: 'TP-0001' },
          ],
          actor,
        ),
      );
      const content = receiptContent(await receiptData(f.t.relais.db, pledge.id));
      const printed = JSON.stringify(content);
      expect(printed).toContain('Acme Industries SAS');
      expect(printed).toContain('Entreprise / Company');
      expect(printed).toContain('Ordinateur portable / Laptop');
      expect(printed).toContain('Collecté / Collected');
      for (const code of CODES) expect(printed).not.toContain(code);
    },
  );

  it(
    'GET /api/v1/pledges/{id} carries the company’s legal name, ' +
      'without the contact person unless the scope allows',
    async () => {
      const pledge = await companyPledge({});
      const read = await f.t.relais.app.inject({
        method: 'GET',
        url: `/api/v1/pledges/${pledge.id}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ id: pledge.id, donorKind: 'COMPANY', organisation: 'Acme Industries SAS' });
      const list = await f.t.relais.app.inject({
        method: 'GET',
        url: `/api/v1/pledges?kind=EQUIPMENT`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const listed = (list.json() as { items: Array<{ id: string; organisation: string | null }> }).items.find(
        (p) => p.id === pledge.id,
      );
      expect(listed?.organisation).toBe('Acme Industries SAS');
      expect(list.body).not.toContain('marie@acme.example');
    },
  );
});
