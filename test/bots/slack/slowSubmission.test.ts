import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import { STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_slow_submission');
});
afterAll(async () => {
  await f?.close();
});

const deviceValues = (deviceId: string) => ({
  'device:*': { device: { type: 'static_select', selected_option: { value: deviceId } } },
  appointment_at: { at: { type: 'datetimepicker', selected_date_time: null } },
  appointment_place: { place: { type: 'plain_text_input', value: null } },
});

const needsValues = (phones: number) => ({
  phonesPerMonth: { value: { type: 'number_input', value: String(phones) } },
  laptopsPerMonth: { value: { type: 'number_input', value: '0' } },
  tabletsPerMonth: { value: { type: 'number_input', value: '0' } },
  rechargesPerMonth: { value: { type: 'number_input', value: '0' } },
});

const textOf = (view: unknown) => JSON.stringify(view);

describe('a modal submission slower than Slack’s 3 s', () => {
  it(
    'an allocation held up by another volunteer’s transaction shows “working…”, then its error through ' +
      'views.update, and allocates nothing',
    async () => {
      const contactId = await f.newPerson('+33611190001', 'fr');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
      const deviceId = f.seed.devicesA[0] ?? '';
      // another volunteer's transaction holds the device row (and will have given it away) while the submission waits
      // for
      // it
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = f.t.relais.db.$transaction(
        async (tx) => {
          await tx.device.update({ where: { id: deviceId }, data: { status: 'LOST' } });
          locked();
          await released;
        },
        { timeout: 30_000 },
      );
      await isLocked;

      const started = Date.now();
      const answer = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'allocate_device',
        metadata: { requestId: request.id },
        values: deviceValues(deviceId),
        viewId: 'VSLOWALLOC1',
      });
      const answeredIn = Date.now() - started;
      release();
      await holder;

      expect(answer.statusCode).toBe(200);
      const working = answer.json();
      expect(working.response_action).toBe('update');
      expect(textOf(working.view)).toContain('En cours');
      expect(textOf(working.view)).not.toContain('"submit"');
      expect(answeredIn).toBeLessThan(3_000);

      const result = await eventually(async () =>
        f.fake.of('views.update').find((c) => c.args.view_id === 'VSLOWALLOC1'),
      );
      const shown = textOf(result.args.view);
      expect(shown).toContain('Pas fait');
      expect(shown).toContain("Cet appareil vient d'être attribué par quelqu'un d'autre. Choisissez-en un autre.");
      expect(await f.t.relais.db.allocation.count({ where: { requestId: request.id } })).toBe(0);
      expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('OPEN');
      await f.t.relais.db.device.update({ where: { id: deviceId }, data: { status: 'IN_STOCK' } });
    },
  );

  it(
    'a census saved while Slack’s Web API answers slowly shows “working…”, then “done”; a fast one still just ' +
      'closes',
    async () => {
      f.fake.slowDown('chat.postMessage', 3_000);
      try {
        const answer = await f.slack.viewSubmission({
          userId: STAFF.volunteerB,
          callbackId: 'needs_census',
          values: needsValues(12),
          viewId: 'VSLOWNEEDS1',
        });
        expect(answer.json()).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
        expect(textOf(answer.json().view)).toContain('Working');
        const result = await eventually(
          async () => f.fake.of('views.update').find((c) => c.args.view_id === 'VSLOWNEEDS1'),
          10_000,
        );
        expect(textOf(result.args.view)).toContain('✅ Done');
      } finally {
        f.fake.slowDown('chat.postMessage', 0);
      }
      expect(
        (await f.t.relais.db.needsCensus.findUniqueOrThrow({ where: { associationId: f.seed.associationB } }))
          .phonesPerMonth,
      ).toBe(12);
      const fast = await f.slack.viewSubmission({
        userId: STAFF.volunteerB,
        callbackId: 'needs_census',
        values: needsValues(13),
        viewId: 'VFASTNEEDS1',
      });
      expect(fast.body).toBe('');
      expect(f.fake.of('views.update').find((c) => c.args.view_id === 'VFASTNEEDS1')).toBeUndefined();
    },
  );
});
