import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, lastRenderOf, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_alloc');
});
afterAll(async () => {
  await f?.close();
});

const deviceValues = (deviceId: string, extra: Record<string, Record<string, Record<string, unknown>>> = {}) => ({
  'device:*': { device: { type: 'static_select', selected_option: { value: deviceId } } },
  appointment_at: { at: { type: 'datetimepicker', selected_date_time: null } },
  appointment_place: { place: { type: 'plain_text_input', value: null } },
  ...extra,
});

describe('allocating a device from Slack', () => {
  it('the modal lists the stock of the association (model, grade, IMEI tail) and filters by model', async () => {
    const contactId = await f.newPerson('+33611110001', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.allocate',
      value: request.id,
      channelId: CHANNEL_A,
    });
    const opened = await eventually(async () =>
      f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes(request.reference)),
    );
    const view = JSON.stringify(opened.args.view);
    expect(view).toContain('Fairphone 4 · grade A · IMEI …3809');
    expect(view).toContain('Samsung Galaxy A12 · grade B · IMEI …7518');
    expect(view).not.toContain('356938035643809');
    expect(view).toContain('Local Utopia, 12 rue des Prés, Calais');

    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'allocate.model',
      selected: 'Samsung Galaxy A12',
      view: { id: 'VALLOC0001', hash: 'h1', private_metadata: JSON.stringify({ requestId: request.id }) },
    });
    const updated = await eventually(async () =>
      f.fake.of('views.update').find((c) => c.args.view_id === 'VALLOC0001'),
    );
    const filtered = JSON.stringify(updated.args.view);
    expect(filtered).toContain('Samsung Galaxy A12 · grade B');
    expect(filtered).not.toContain('Fairphone 4 · grade A');
    expect(filtered).toContain('device:Samsung Galaxy A12');
  });

  it(
    '50 parallel submissions for the same device give it to exactly one request; the 49 others see a clear error in ' +
      'the modal',
    async () => {
      const deviceId = f.seed.devicesA[0] ?? '';
      const requests = [];
      for (let i = 0; i < 50; i++) {
        const contactId = await f.newPerson(`+3361222${String(i).padStart(4, '0')}`, 'fr');
        requests.push(await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA }));
      }
      const started = Date.now();
      const responses = await Promise.all(
        requests.map((r) =>
          f.slack.viewSubmission({
            userId: STAFF.volunteerA,
            callbackId: 'allocate_device',
            metadata: { requestId: r.id },
            values: deviceValues(deviceId),
          }),
        ),
      );
      const elapsed = Date.now() - started;
      const accepted = responses.filter((r) => r.statusCode === 200 && r.body === '');
      const refused = responses.filter((r) => r.body.includes('errors'));
      expect(accepted).toHaveLength(1);
      expect(refused).toHaveLength(49);
      for (const r of refused)
        expect(r.json()).toEqual({
          response_action: 'errors',
          errors: { 'device:*': "Cet appareil vient d'être attribué par quelqu'un d'autre. Choisissez-en un autre." },
        });
      expect(await f.t.relais.db.allocation.count({ where: { deviceId } })).toBe(1);
      expect((await f.t.relais.db.device.findUniqueOrThrow({ where: { id: deviceId } })).status).toBe('ALLOCATED');
      expect(
        await f.t.relais.db.request.count({ where: { id: { in: requests.map((r) => r.id) }, status: 'ALLOCATED' } }),
      ).toBe(1);
      console.info(`50 parallel allocation submissions answered in ${elapsed} ms`);
    },
  );

  it('two devices for the same request at once: one allocation, the other device stays in stock', async () => {
    const contactId = await f.newPerson('+33611110002', 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const [d1, d2] = [f.seed.devicesA[1] ?? '', f.seed.devicesA[2] ?? ''];
    const responses = await Promise.all(
      [d1, d2].map((d) =>
        f.slack.viewSubmission({
          userId: STAFF.volunteerA,
          callbackId: 'allocate_device',
          metadata: { requestId: request.id },
          values: deviceValues(d),
        }),
      ),
    );
    expect(responses.filter((r) => r.body === '')).toHaveLength(1);
    expect(responses.filter((r) => r.body.includes('errors'))).toHaveLength(1);
    expect(await f.t.relais.db.allocation.count({ where: { requestId: request.id } })).toBe(1);
    expect(await f.t.relais.db.device.count({ where: { id: { in: [d1, d2] }, status: 'IN_STOCK' } })).toBe(1);
    // free the stock for the next test
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.cancel_allocation',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(
      async () => (await f.t.relais.db.device.count({ where: { id: { in: [d1, d2] }, status: 'IN_STOCK' } })) === 2,
    );
    expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('CLAIMED');
  });

  it(
    'the person is told when and where to collect the phone, in their language; handing over serves the request and ' +
      'schedules follow-ups',
    async () => {
      // an earlier test may have allocated (then released) the same device: look at this test's actions only
      const startedAt = new Date();
      const phone = '+33611110003';
      const contactId = await f.newPerson(phone, 'ar');
      const request = await f.newRequest({
        kind: 'PHONE',
        contactId,
        associationId: f.seed.associationA,
        language: 'ar',
      });
      const deviceId = f.seed.devicesA[2] ?? '';
      const at = new Date(Date.now() + 2 * 86_400_000);
      at.setUTCHours(13, 30, 0, 0);
      const past = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'allocate_device',
        metadata: { requestId: request.id },
        values: deviceValues(deviceId, {
          appointment_at: {
            at: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) - 86_400 },
          },
          appointment_place: { place: { type: 'plain_text_input', value: 'Local Utopia' } },
        }),
      });
      expect(past.json()).toMatchObject({
        response_action: 'errors',
        errors: { appointment_at: 'Cette date est passée.' },
      });
      const response = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'allocate_device',
        metadata: { requestId: request.id },
        values: deviceValues(deviceId, {
          appointment_at: { at: { type: 'datetimepicker', selected_date_time: Math.floor(at.getTime() / 1000) } },
          appointment_place: { place: { type: 'plain_text_input', value: 'Local Utopia, 12 rue des Prés' } },
        }),
      });
      expect(response.body).toBe('');
      const told = await eventually(
        async () =>
          f.people.sent.find((m) => m.address === phone && m.content.text.includes(request.reference))?.content,
      );
      expect(told.rtl).toBe(true);
      expect(told.text).toContain('Local Utopia, 12 rue des Prés');
      // 13:30 UTC is 14:30 or 15:30 in Paris depending on the season
      expect(told.text).toContain(
        new Intl.DateTimeFormat('ar', {
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone: 'Europe/Paris',
        }).format(at),
      );
      expect(told.text).toContain('هاتف');
      expect(await f.t.relais.db.outboxJob.count({ where: { name: 'appointment.scheduled' } })).toBe(1);

      const card = await eventually(async () => {
        const last = lastRenderOf(f.fake, request.channel, request.ts);
        return last && JSON.stringify(last.blocks).includes('request.hand_over') ? last : null;
      });
      expect(JSON.stringify(card.blocks)).toContain('IMEI …7518');

      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.hand_over',
        value: request.id,
        channelId: CHANNEL_A,
      });
      await eventually(
        async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'SERVED',
      );
      expect((await f.t.relais.db.device.findUniqueOrThrow({ where: { id: deviceId } })).status).toBe('HANDED_OVER');
      expect((await f.t.relais.db.allocation.findFirstOrThrow({ where: { requestId: request.id } })).status).toBe(
        'HANDED_OVER',
      );
      expect(
        await f.t.relais.db.outboxJob.count({
          where: { name: 'followups.schedule', data: { equals: { requestId: request.id } } },
        }),
      ).toBe(1);
      const actions = await f.t.relais.db.auditEvent.findMany({
        where: {
          actorId: f.seed.staff.volunteerA,
          action: { in: ['device.allocated', 'device.handed_over'] },
          entityId: deviceId,
          at: { gte: startedAt },
        },
      });
      expect(actions.map((a) => a.action).sort()).toEqual(['device.allocated', 'device.handed_over']);

      // a second click on "handed over" changes nothing and says why
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.hand_over',
        value: request.id,
        channelId: CHANNEL_A,
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('changé')),
      );
      expect(await f.t.relais.db.outboxJob.count({ where: { name: 'followups.schedule' } })).toBe(1);
    },
  );
});
