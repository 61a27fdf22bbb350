import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCollectedDevices } from '../../../src/core/pledges/pledgeDevices.js';
import { createPledge } from '../../../src/core/pledges/pledgeService.js';
import type { PledgeDraft } from '../../../src/core/pledges/pledgeDraft.js';
import { eventually } from '../../support/testRelais.js';
import {
  CHANNEL_A,
  lastRenderOf,
  STAFF,
  startSlackFixture,
  TRIAGE,
  type SlackFixture,
} from './support/slackFixture.js';

const PLEDGES = 'CPLEDGES01';
const DONOR = {
  name: 'Marie Dupont (Acme)',
  phone: '06 12 34 56 78',
  email: 'marie.dupont@acme.example',
  address: '3 rue des Lilas, Lille',
};

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_pledges', { SLACK_PLEDGES_CHANNEL: PLEDGES });
});
afterAll(async () => {
  await f?.close();
});

/** A pledge recorded by the domain as the donor flows do; resolves once its card is in Slack. */
async function newPledge(draft: Partial<PledgeDraft> = {}, donorPlatformId = '+33699990001') {
  const contactId = await f.newPerson(donorPlatformId, 'en');
  const { pledge, taskId } = await f.t.relais.db.$transaction((tx) =>
    createPledge(tx, {
      contactId,
      draft: {
        kind: 'EQUIPMENT',
        donorKind: 'COMPANY',
        items: [
          { kind: 'smartphone', quantity: 40 },
          { kind: 'laptop', quantity: 5 },
        ],
        postcode: '59000',
        pickupWindow: 'weekdays 9-12',
        certificateRequired: true,
        donor: DONOR,
        ...draft,
      },
    }),
  );
  await f.t.relais.dispatcher.dispatchJobs([taskId]);
  const posted = await eventually(async () => {
    const p = await f.t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledge.id } });
    return p.slackChannelId && p.slackTs ? { channel: p.slackChannelId, ts: p.slackTs } : null;
  });
  return { id: pledge.id, reference: pledge.reference, ...posted };
}

const needsValues = (phones: number, laptops = 0, tablets = 0, recharges = 0) => ({
  phonesPerMonth: { value: { type: 'number_input', value: String(phones) } },
  laptopsPerMonth: { value: { type: 'number_input', value: String(laptops) } },
  tabletsPerMonth: { value: { type: 'number_input', value: String(tablets) } },
  rechargesPerMonth: { value: { type: 'number_input', value: String(recharges) } },
});

const scheduleValues = (at: Date, refurbisher: string) => ({
  pickup_at: { at: { type: 'datetimepicker', selected_date_time: Math.floor(at.getTime() / 1000) } },
  refurbisher: { refurbisher: { type: 'plain_text_input', value: refurbisher } },
});

describe('pledges in Slack', () => {
  it(
    'a new pledge is posted to the pledges channel with what, where and when, but never the donor’s name, phone, ' +
      'email or address',
    async () => {
      const pledge = await newPledge();
      expect(pledge.channel).toBe(PLEDGES);
      const post = f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === PLEDGES && String(c.args.text).includes(pledge.reference));
      const card = JSON.stringify(post?.args.blocks);
      expect(card).toContain('40 × smartphone');
      expect(card).toContain('5 × ordinateur portable');
      expect(card).toContain('59000');
      expect(card).toContain('weekdays 9-12');
      expect(card).toContain('Entreprise');
      expect(card).toContain('pledge.schedule');
      expect(card).toContain(`/api/v1/pledges/${pledge.id}`);
      const everything = f.fake.allText();
      for (const secret of [DONOR.name, 'Dupont', DONOR.phone, '0612345678', '612345678', DONOR.email, DONOR.address])
        expect(everything).not.toContain(secret);
    },
  );

  it(
    'a volunteer is politely refused on a pledge; a coordinator schedules the pickup: status, audit, card and donor ' +
      'message follow, once even if Slack replays the submission',
    async () => {
      const pledge = await newPledge({}, '+33699990002');
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'pledge.schedule',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('coordinateur')),
      );
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'pledge.cancel',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(
        async () =>
          f.fake
            .of('chat.postEphemeral')
            .filter((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('coordinateur')).length >=
          2,
      );
      expect(f.fake.of('views.open').some((c) => JSON.stringify(c.args.view).includes(pledge.reference))).toBe(false);
      const volunteerSubmit = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'schedule_pledge',
        metadata: { pledgeId: pledge.id },
        values: scheduleValues(new Date(Date.now() + 86_400_000), 'Atelier'),
      });
      expect(volunteerSubmit.json()).toMatchObject({ response_action: 'errors' });
      expect((await f.t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledge.id } })).status).toBe('PLEDGED');

      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.schedule',
        value: pledge.id,
        channelId: PLEDGES,
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(pledge.reference)),
      );
      expect(JSON.stringify(opened.args.view)).toContain('schedule_pledge');

      const past = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'schedule_pledge',
        metadata: { pledgeId: pledge.id },
        values: scheduleValues(new Date(Date.now() - 86_400_000), 'Atelier du Bocage'),
      });
      expect(past.json()).toMatchObject({ response_action: 'errors', errors: { pickup_at: 'Cette date est passée.' } });

      const at = new Date(Date.now() + 3 * 86_400_000);
      const submit = {
        userId: STAFF.coordinatorA,
        callbackId: 'schedule_pledge',
        metadata: { pledgeId: pledge.id },
        values: scheduleValues(at, 'Atelier du Bocage'),
        viewId: 'VSCHEDULE01',
      };
      expect((await f.slack.viewSubmission(submit)).body).toBe('');
      const saved = await f.t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledge.id } });
      expect(saved.status).toBe('SCHEDULED');
      expect(saved.refurbisher).toBe('Atelier du Bocage');
      expect(saved.scheduledAt?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);

      const card = await eventually(async () => {
        const last = lastRenderOf(f.fake, pledge.channel, pledge.ts);
        return last && JSON.stringify(last.blocks).includes('Atelier du Bocage') ? last : null;
      });
      expect(JSON.stringify(card.blocks)).toContain('Enlèvement planifié');
      const told = await eventually(
        async () =>
          f.people.sent.find((m) => m.address === '+33699990002' && m.content.text.includes(pledge.reference))?.content,
      );
      expect(told.text).toContain('Atelier du Bocage');

      // Slack retries the same submission: nothing happens a second time
      expect((await f.slack.viewSubmission(submit)).body).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await f.t.relais.db.auditEvent.count({ where: { action: 'pledge.scheduled', entityId: pledge.id } })).toBe(
        1,
      );
      const audit = await f.t.relais.db.auditEvent.findFirstOrThrow({
        where: { action: 'pledge.scheduled', entityId: pledge.id },
      });
      expect(audit.actorId).toBe(f.seed.staff.coordinatorA);
      expect(
        await f.t.relais.db.outboxJob.count({
          where: { name: 'pledge.donorUpdate', data: { path: ['pledgeId'], equals: pledge.id } },
        }),
      ).toBe(1);
      expect(f.people.sent.filter((m) => m.address === '+33699990002').length).toBe(1);

      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.collected',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(
        async () => (await f.t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledge.id } })).status === 'COLLECTED',
      );
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'pledge.collected', entityId: pledge.id, actorId: f.seed.staff.coordinatorA },
        }),
      ).toBe(1);
      await eventually(async () => {
        const last = lastRenderOf(f.fake, pledge.channel, pledge.ts);
        return (
          last &&
          JSON.stringify(last.blocks).includes('Collecté') &&
          !JSON.stringify(last.blocks).includes('pledge.cancel')
        );
      });
    },
  );

  it(
    'the needs census: each association saves its monthly needs, coordinators see the network totals, and the card ' +
      'suggests the association with the largest unmet need',
    async () => {
      const opened = await f.slack.command({ userId: STAFF.volunteerB, text: 'needs', channelId: CHANNEL_A });
      expect(opened.json().response_type).toBe('ephemeral');
      const modal = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes('needs_census')),
      );
      expect(JSON.stringify(modal.args.view)).toContain('Auberge des migrants');

      const bad = await f.slack.viewSubmission({
        userId: STAFF.volunteerB,
        callbackId: 'needs_census',
        values: { ...needsValues(3), laptopsPerMonth: { value: { type: 'number_input', value: '-2' } } },
      });
      expect(bad.json()).toMatchObject({
        response_action: 'errors',
        errors: { laptopsPerMonth: 'A whole number between 0 and 10000, please.' },
      });
      const submitB = {
        userId: STAFF.volunteerB,
        callbackId: 'needs_census',
        values: needsValues(30, 2, 1, 50),
        viewId: 'VNEEDSB001',
      };
      expect((await f.slack.viewSubmission(submitB)).body).toBe('');
      expect((await f.slack.viewSubmission(submitB)).body).toBe('');
      expect(
        (
          await f.slack.viewSubmission({
            userId: STAFF.coordinatorA,
            callbackId: 'needs_census',
            values: needsValues(8, 4),
            viewId: 'VNEEDSA001',
          })
        ).body,
      ).toBe('');

      const rowB = await f.t.relais.db.needsCensus.findUniqueOrThrow({ where: { associationId: f.seed.associationB } });
      expect(rowB).toMatchObject({
        phonesPerMonth: 30,
        laptopsPerMonth: 2,
        tabletsPerMonth: 1,
        rechargesPerMonth: 50,
        updatedById: f.seed.staff.volunteerB,
      });
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'needs.updated', associationId: f.seed.associationB },
        }),
      ).toBe(1);
      await eventually(async () =>
        f.fake
          .of('chat.postMessage')
          .find((c) => c.args.channel === STAFF.coordinatorA && String(c.args.text).includes('Besoins du réseau')),
      );

      const refused = (await f.slack.command({ userId: STAFF.volunteerB, text: 'needs totals' })).json();
      expect(String(refused.text)).toContain('for coordinators');
      const totals = String(
        (await f.slack.command({ userId: STAFF.coordinatorA, text: 'besoins totaux' })).json().text,
      );
      expect(totals).toContain('Téléphones 38 (38)');
      expect(totals).toContain('*Auberge des migrants* : téléphones 30 (30)');
      expect(totals).toContain('*Utopia 56 Calais* : téléphones 8 (8) · ordinateurs 4 (4)');

      const phones = await newPledge({}, '+33699990003');
      const phoneCard = JSON.stringify(
        f.fake
          .of('chat.postMessage')
          .find(
            (c) =>
              c.args.ts === undefined && c.args.channel === PLEDGES && String(c.args.text).includes(phones.reference),
          )?.args.blocks,
      );
      expect(phoneCard).toContain(
        'Association suggérée : *Auberge des migrants* (plus grand besoin non couvert en téléphones : 30',
      );
      const laptops = await newPledge(
        {
          items: [
            { kind: 'laptop', quantity: 12 },
            { kind: 'tablet', quantity: 2 },
          ],
        },
        '+33699990004',
      );
      const laptopCard = JSON.stringify(
        f.fake
          .of('chat.postMessage')
          .find((c) => c.args.channel === PLEDGES && String(c.args.text).includes(laptops.reference))?.args.blocks,
      );
      expect(laptopCard).toContain('*Utopia 56 Calais* (plus grand besoin non couvert en ordinateurs : 4');
    },
  );

  it(
    'a coordinator shares the receipt of a collected pledge into its card’s thread, audited without personal data; ' +
      'refused before collection and to staff without the right',
    async () => {
      const pledge = await newPledge({}, '+33699990005');
      const firstPost = f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === PLEDGES && String(c.args.text).includes(pledge.reference));
      expect(JSON.stringify(firstPost?.args.blocks)).not.toContain('pledge.receipt');
      const ephemeralsTo = (user: string) =>
        f.fake
          .of('chat.postEphemeral')
          .filter((c) => c.args.user === user)
          .map((c) => String(c.args.text));

      // a stale or forged click before collection: a clear private answer, nothing uploaded
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(async () =>
        ephemeralsTo(STAFF.coordinatorA).some((t) =>
          t.includes(`Pas encore de reçu : ${pledge.reference} n’a pas été collecté.`),
        ),
      );
      expect(f.fake.uploads).toEqual([]);

      const { jobIds } = await f.t.relais.db.$transaction((tx) =>
        registerCollectedDevices(
          tx,
          pledge.id,
          [
            { kind: 'SMARTPHONE', model: 'Fairphone 3', serial: 'SN-RECEIPT-1' },
            { kind: 'LAPTOP', model: 'ThinkPad T480', serial: 'SN-RECEIPT-2' },
          ],
          { type: 'SYSTEM', id: null },
        ),
      );
      await f.t.relais.dispatcher.dispatchJobs(jobIds);
      const card = await eventually(async () => {
        const last = lastRenderOf(f.fake, pledge.channel, pledge.ts);
        return last && JSON.stringify(last.blocks).includes('pledge.receipt') ? last : null;
      });
      expect(JSON.stringify(card.blocks)).toContain('Reçu (PDF)');

      // a volunteer, and a coordinator of another association once the pledge is routed to A, are refused
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(async () =>
        ephemeralsTo(STAFF.volunteerA).some((t) => t.includes('Le reçu porte le nom du donateur')),
      );
      await f.t.relais.db.pledge.update({ where: { id: pledge.id }, data: { associationId: f.seed.associationA } });
      const coordinatorB = 'UCOOB0001';
      await f.t.relais.db.staffMember.create({
        data: { slackUserId: coordinatorB, associationId: f.seed.associationB, role: 'COORDINATOR', language: 'en' },
      });
      await f.slack.blockAction({
        userId: coordinatorB,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: PLEDGES,
      });
      await eventually(async () =>
        ephemeralsTo(coordinatorB).some((t) => t.includes('only a coordinator of the association the pledge goes to')),
      );
      expect(f.fake.uploads).toEqual([]);

      // a double click: the second one is told, one upload
      await Promise.all(
        [1, 2].map(() =>
          f.slack.blockAction({
            userId: STAFF.coordinatorA,
            actionId: 'pledge.receipt',
            value: pledge.id,
            channelId: PLEDGES,
          }),
        ),
      );
      const upload = await eventually(async () => f.fake.uploads.find((u) => u.title?.includes(pledge.reference)));
      await eventually(async () =>
        ephemeralsTo(STAFF.coordinatorA).some((t) => t.includes(`Le reçu de ${pledge.reference} vient d'être partagé`)),
      );
      expect(f.fake.uploads.filter((u) => u.title?.includes(pledge.reference))).toHaveLength(1);
      expect(upload.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(upload.channelId).toBe(PLEDGES);
      expect(upload.threadTs).toBe(pledge.ts);
      expect(upload.filename).toBe(`receipt-${pledge.reference}.pdf`);
      expect(upload.title).toBe(`Reçu ${pledge.reference}`);
      expect(upload.initialComment).toContain(`<@${STAFF.coordinatorA}>`);
      const audit = await eventually(async () =>
        f.t.relais.db.auditEvent.findFirst({ where: { action: 'pledge.receipt_shared', entityId: pledge.id } }),
      );
      expect(audit).toMatchObject({
        actorType: 'STAFF',
        actorId: f.seed.staff.coordinatorA,
        entityType: 'Pledge',
        associationId: f.seed.associationA,
        data: { channelId: PLEDGES, inThread: true },
      });
      // the PDF carries the donor's name for the tax receipt; nothing else sent to Slack does, nor the audit trail
      for (const secret of [DONOR.name, DONOR.phone, DONOR.email, DONOR.address]) {
        expect(f.fake.allText()).not.toContain(secret);
        expect(JSON.stringify(audit.data)).not.toContain(secret);
      }
      expect(await f.t.relais.db.auditEvent.count({ where: { action: 'pledge.receipt_shared' } })).toBe(1);
    },
  );

  it(
    'a receipt never goes to the triage channel: a card left in triage shares it into the association’s channel, or ' +
      'not at all',
    async () => {
      const pledge = await newPledge({}, '+33699990006');
      const { jobIds } = await f.t.relais.db.$transaction((tx) =>
        registerCollectedDevices(
          tx,
          pledge.id,
          [{ kind: 'SMARTPHONE', model: 'Fairphone 3', serial: 'SN-RECEIPT-3' }],
          {
            type: 'SYSTEM',
            id: null,
          },
        ),
      );
      await f.t.relais.dispatcher.dispatchJobs(jobIds);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, pledge.channel, pledge.ts)?.blocks ?? '').includes('pledge.receipt'),
      );
      // as if the card had been posted before SLACK_PLEDGES_CHANNEL was set
      await f.t.relais.db.pledge.update({
        where: { id: pledge.id },
        data: { slackChannelId: TRIAGE, slackTs: '1700009999.000001' },
      });
      const uploadsBefore = f.fake.uploads.length;

      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: TRIAGE,
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .some((c) => c.args.user === STAFF.coordinatorA && String(c.args.text).includes('canal de tri')),
      );
      expect(f.fake.uploads.length).toBe(uploadsBefore);

      await f.t.relais.db.pledge.update({ where: { id: pledge.id }, data: { associationId: f.seed.associationA } });
      f.fake.failNext('files.completeUploadExternal', 'not_in_channel');
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: TRIAGE,
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .some((c) => c.args.user === STAFF.coordinatorA && String(c.args.text).includes('/invite @Relais')),
      );
      expect(f.fake.uploads.length).toBe(uploadsBefore);
      expect(
        await f.t.relais.db.auditEvent.count({ where: { action: 'pledge.receipt_shared', entityId: pledge.id } }),
      ).toBe(0);

      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'pledge.receipt',
        value: pledge.id,
        channelId: TRIAGE,
      });
      const upload = await eventually(async () => f.fake.uploads.find((u) => u.title?.includes(pledge.reference)));
      expect(upload).toMatchObject({ channelId: CHANNEL_A, threadTs: undefined });
      expect(upload.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(f.fake.uploads.some((u) => u.channelId === TRIAGE)).toBe(false);
      const audit = await eventually(async () =>
        f.t.relais.db.auditEvent.findFirst({ where: { action: 'pledge.receipt_shared', entityId: pledge.id } }),
      );
      expect(audit.data).toMatchObject({ channelId: CHANNEL_A, inThread: false });
    },
  );
});
