import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTask } from '../../../src/core/queue/enqueueTask.js';
import { eventually } from '../../support/testRelais.js';
import { ALERTS, CHANNEL_A, CHANNEL_B, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_cmds');
});
afterAll(async () => {
  await f?.close();
});

const text = (body: Record<string, unknown>) => String(body.text);

describe('/relais commands', () => {
  it('stock shows the association stock by model and grade; coordinators get a transfer button', async () => {
    const volunteer = (await f.slack.command({ userId: STAFF.volunteerA, text: 'stock' })).json();
    expect(volunteer.response_type).toBe('ephemeral');
    expect(text(volunteer)).toContain('*Fairphone 4*: 2 (A: 1, B: 1)');
    expect(text(volunteer)).toContain('*Samsung Galaxy A12*: 1 (B: 1)');
    expect(JSON.stringify(volunteer.blocks)).not.toContain('stock.transfer');
    const coordinator = (await f.slack.command({ userId: STAFF.coordinatorA, text: 'stock' })).json();
    expect(JSON.stringify(coordinator.blocks)).toContain('stock.transfer');
    const other = (await f.slack.command({ userId: STAFF.volunteerB, text: 'stock' })).json();
    expect(text(other)).toContain('No device in stock');
  });

  it('requests lists open requests of the association, and mine the volunteer’s own', async () => {
    const contactId = await f.newPerson('+33666660001', 'en');
    const mine = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA, urgency: 'HIGH' });
    const other = await f.newRequest({ kind: 'HELP', contactId, associationId: f.seed.associationA });
    const elsewhere = await f.newRequest({ kind: 'HELP', contactId, associationId: f.seed.associationB });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.claim',
      value: mine.id,
      channelId: CHANNEL_A,
    });
    await eventually(
      async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: mine.id } })).status === 'CLAIMED',
    );
    const open = text((await f.slack.command({ userId: STAFF.volunteerA, text: 'requests open' })).json());
    expect(open).toContain(mine.reference);
    expect(open).toContain(other.reference);
    expect(open).not.toContain(elsewhere.reference);
    const own = text((await f.slack.command({ userId: STAFF.volunteerA, text: 'demandes moi' })).json());
    expect(own).toContain(mine.reference);
    expect(own).not.toContain(other.reference);
  });

  it('find shows the card of a request of the association only', async () => {
    const contactId = await f.newPerson('+33666660002', 'en');
    const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationA });
    const found = (
      await f.slack.command({ userId: STAFF.volunteerA, text: `find ${request.reference.toLowerCase()}` })
    ).json();
    expect(JSON.stringify(found.blocks)).toContain('request.recharge');
    const refused = (await f.slack.command({ userId: STAFF.volunteerB, text: `find ${request.reference}` })).json();
    expect(text(refused)).toContain(`No request ${request.reference}`);
    expect(JSON.stringify(refused)).not.toContain('request.recharge');
  });

  it('code issues a one-time reconnection code shown only to the coordinator, stored hashed and audited', async () => {
    const contactId = await f.newPerson('+33666660003', 'ps');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const callsBefore = f.fake.calls.length;
    const answer = (await f.slack.command({ userId: STAFF.coordinatorA, text: `code ${request.reference}` })).json();
    expect(answer.response_type).toBe('ephemeral');
    const code = /\*(\d{4} \d{4} \d{2})\*/.exec(text(answer))?.[1];
    expect(code).toBeDefined();
    // the code left in the HTTP answer only: no Web API call carries it
    expect(
      f.fake.calls
        .slice(callsBefore)
        .map((c) => c.raw)
        .join(''),
    ).not.toContain(code?.replace(/ /g, '') ?? 'x');
    const stored = await f.t.relais.db.reconnectCode.findFirstOrThrow({ where: { contactId, kind: 'ONE_TIME' } });
    expect(stored.codeHash).not.toContain(code?.replace(/ /g, '') ?? 'x');
    expect(stored.issuedById).toBe(f.seed.staff.coordinatorA);
    expect(
      await f.t.relais.db.auditEvent.count({
        where: { action: 'code.issued', actorId: f.seed.staff.coordinatorA, entityId: contactId },
      }),
    ).toBe(1);
    const refused = (await f.slack.command({ userId: STAFF.volunteerB, text: `code ${request.reference}` })).json();
    expect(text(refused)).not.toMatch(/\d{4} \d{4} \d{2}/);
    expect(await f.t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(1);
  });

  it('impact counts what was served; help lists the commands', async () => {
    const impact = text((await f.slack.command({ userId: STAFF.coordinatorA, text: 'impact' })).json());
    expect(impact).toContain('Utopia 56 Calais');
    expect(impact).toMatch(/\d+ demandes reçues/);
    const help = text((await f.slack.command({ userId: STAFF.volunteerB, text: 'whatever' })).json());
    expect(help).toContain('/relais requests');
  });
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('/relais impact chart', () => {
  it(
    'answers privately for the period, and with `graphique` uploads ' + 'the PNG chart to the channel after the ack',
    async () => {
      // one donated device collected this month, for association A
      await f.t.relais.db.auditEvent.create({
        data: {
          actorType: 'API',
          action: 'device.collected',
          entityType: 'Device',
          entityId: f.seed.devicesA[0] ?? '',
        },
      });
      const month = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
        new Date(),
      );
      f.fake.slowDown('files.getUploadURLExternal', 800);
      const answer = (
        await f.slack.command({ userId: STAFF.coordinatorA, text: 'impact graphique mois', channelId: CHANNEL_A })
      ).json();
      // Slack has its answer before the upload even started
      expect(f.fake.uploads.filter((u) => u.channelId === CHANNEL_A)).toEqual([]);
      expect(answer.response_type).toBe('ephemeral');
      expect(text(answer)).toContain(month);
      expect(text(answer)).toContain('1 appareil donné collecté');
      expect(text(answer)).toContain('Le graphique est en cours de publication dans ce canal.');

      const upload = await eventually(async () => f.fake.uploads.find((u) => u.channelId === CHANNEL_A));
      f.fake.slowDown('files.getUploadURLExternal', 0);
      expect(upload.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(upload.bytes.readUInt32BE(16)).toBe(1200);
      expect(upload.filename).toBe('relais-impact.png');
      expect(upload.title).toBe(`Impact de Utopia 56 Calais — ${month}`);
      expect(upload.altText).toContain('Appareils collectés: 1');
      expect(upload.threadTs).toBeUndefined();
      expect(upload.initialComment).toContain(`<@${STAFF.coordinatorA}>`);
      const methods = f.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
      expect(methods.slice(-3)).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    },
  );

  it(
    'draws the network in English for English-speaking staff; tells the volunteer privately when Relais cannot post ' +
      'in the channel',
    async () => {
      await f.slack.command({ userId: STAFF.volunteerB, text: 'impact chart network', channelId: CHANNEL_B });
      const network = await eventually(async () => f.fake.uploads.find((u) => u.channelId === CHANNEL_B));
      expect(network.title).toBe('Impact of the Relais network — since the start');
      expect(network.altText).toContain('Devices handed over:');

      f.fake.failNext('files.completeUploadExternal', 'not_in_channel');
      const answer = (
        await f.slack.command({ userId: STAFF.volunteerB, text: 'impact chart 2026', channelId: 'CNOTMEMBER1' })
      ).json();
      expect(text(answer)).toContain('2026');
      const told = await eventually(async () =>
        f.fake.of('response_url').find((c) => String(c.args.text).includes('/invite @Relais')),
      );
      expect(told.args.response_type).toBe('ephemeral');
      expect(f.fake.uploads.some((u) => u.channelId === 'CNOTMEMBER1')).toBe(false);
    },
  );

  it('a period it does not understand gets examples, and nothing is posted', async () => {
    const before = f.fake.of('files.getUploadURLExternal').length;
    const answer = (
      await f.slack.command({ userId: STAFF.volunteerA, text: 'impact graphique 2026-13', channelId: CHANNEL_A })
    ).json();
    expect(text(answer)).toContain('Je n’ai pas compris la période');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(f.fake.of('files.getUploadURLExternal').length).toBe(before);
  });
});

describe('App Home', () => {
  it('shows the association: open requests, mine, stock by model and grade, last week', async () => {
    await f.slack.event({ type: 'app_home_opened', user: STAFF.volunteerA, channel: 'DHOME', tab: 'home' });
    const published = await eventually(async () =>
      f.fake.of('views.publish').find((c) => c.args.user_id === STAFF.volunteerA),
    );
    const view = JSON.stringify(published.args.view);
    expect(view).toContain('Utopia 56 Calais');
    expect(view).toContain('Demandes ouvertes');
    expect(view).toContain('Mes demandes');
    expect(view).toContain('Fairphone 4');
    expect(view).toContain('7 derniers jours');
    expect(view).not.toContain('+336');
  });

  it('an unknown user sees a polite note and the offer to ask to join an association, nothing else', async () => {
    await f.slack.event({ type: 'app_home_opened', user: STAFF.stranger, channel: 'DHOME2', tab: 'home' });
    const published = await eventually(async () =>
      f.fake.of('views.publish').find((c) => c.args.user_id === STAFF.stranger),
    );
    const view = JSON.stringify(published.args.view);
    expect(view).toContain('Relais does not know you');
    expect(view).toContain('"action_id":"join.ask.en"');
    expect(view).toContain('Utopia 56 Calais');
    expect(view).not.toContain('Fairphone');
    expect(view).not.toContain('Demandes ouvertes');
  });
});

describe('transfers between associations', () => {
  it(
    'a coordinator moves a request to another association; its ' + 'card moves channel and a volunteer cannot do it',
    async () => {
      const contactId = await f.newPerson('+33666660004', 'en');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
      const value = `transfer:${request.id}`;
      await f.slack.interactivity({
        type: 'block_actions',
        user: { id: STAFF.volunteerA },
        trigger_id: 'TRIGV',
        channel: { id: CHANNEL_A },
        actions: [{ action_id: 'request.more', type: 'overflow', selected_option: { value } }],
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('coordinat')),
      );

      await f.slack.interactivity({
        type: 'block_actions',
        user: { id: STAFF.coordinatorA },
        trigger_id: 'TRIGC',
        channel: { id: CHANNEL_A },
        actions: [{ action_id: 'request.more', type: 'overflow', selected_option: { value } }],
      });
      const opened = await eventually(async () => f.fake.of('views.open').find((c) => c.args.trigger_id === 'TRIGC'));
      expect(JSON.stringify(opened.args.view)).toContain('Auberge des migrants');
      expect(JSON.stringify(opened.args.view)).not.toContain('Utopia 56 Calais');

      const done = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'transfer_request',
        metadata: { requestId: request.id },
        values: { target: { target: { type: 'static_select', selected_option: { value: f.seed.associationB } } } },
      });
      expect(done.body).toBe('');
      const moved = await eventually(async () => {
        const r = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } });
        return r.slackChannelId === CHANNEL_B ? r : null;
      });
      expect(moved.associationId).toBe(f.seed.associationB);
      const tombstone = f.fake
        .of('chat.update')
        .find(
          (c) => c.args.channel === CHANNEL_A && c.args.ts === request.ts && String(c.args.text).includes('Auberge'),
        );
      expect(JSON.stringify(tombstone?.args.blocks)).not.toContain('request.claim');
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'request.transferred', entityId: request.id, actorId: f.seed.staff.coordinatorA },
        }),
      ).toBe(1);
      // now B's volunteer may act, A's may not
      await f.slack.blockAction({
        userId: STAFF.volunteerB,
        actionId: 'request.claim',
        value: request.id,
        channelId: CHANNEL_B,
      });
      await eventually(
        async () =>
          (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).assigneeId ===
          f.seed.staff.volunteerB,
      );
    },
  );

  it('a coordinator moves devices in stock to another association', async () => {
    const deviceId = f.seed.devicesA[2] ?? '';
    const done = await f.slack.viewSubmission({
      userId: STAFF.coordinatorA,
      callbackId: 'transfer_devices',
      metadata: { fromAssociationId: f.seed.associationA },
      values: {
        devices: { devices: { type: 'multi_static_select', selected_options: [{ value: deviceId }] } },
        target: { target: { type: 'static_select', selected_option: { value: f.seed.associationB } } },
      },
    });
    expect(done.body).toBe('');
    expect((await f.t.relais.db.device.findUniqueOrThrow({ where: { id: deviceId } })).associationId).toBe(
      f.seed.associationB,
    );
    await eventually(async () =>
      f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === STAFF.coordinatorA && String(c.args.text).includes('1 appareil')),
    );
    const refused = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'transfer_devices',
      metadata: { fromAssociationId: f.seed.associationA },
      values: {
        devices: { devices: { type: 'multi_static_select', selected_options: [{ value: f.seed.devicesA[0] ?? '' }] } },
        target: { target: { type: 'static_select', selected_option: { value: f.seed.associationB } } },
      },
    });
    expect(refused.body).toContain('errors');
    expect(
      (await f.t.relais.db.device.findUniqueOrThrow({ where: { id: f.seed.devicesA[0] ?? '' } })).associationId,
    ).toBe(f.seed.associationA);
  });
});

describe('staff alerts', () => {
  it('posts an alert from another part of Relais to the alerts channel', async () => {
    const taskId = await f.t.relais.db.$transaction((tx) =>
      enqueueTask(tx, 'staff.alert', { code: 'whatsapp_logged_out' }),
    );
    await f.t.relais.dispatcher.dispatchJobs([taskId]);
    const alert = await eventually(async () => f.fake.of('chat.postMessage').find((c) => c.args.channel === ALERTS));
    expect(String(alert.args.text)).toContain('WhatsApp');
  });

  it('an alert about a request goes in its card’s thread, naming it', async () => {
    const contactId = await f.newPerson('tg-held-1', 'en');
    const card = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA, language: 'en' });
    const taskId = await f.t.relais.db.$transaction((tx) =>
      enqueueTask(tx, 'staff.alert', {
        code: 'message_held_outside_window',
        channel: 'WHATSAPP_CLOUD',
        requestId: card.id,
      }),
    );
    await f.t.relais.dispatcher.dispatchJobs([taskId]);
    const alert = await eventually(async () =>
      f.fake.of('chat.postMessage').find((c) => c.args.channel === card.channel && c.args.thread_ts === card.ts),
    );
    expect(String(alert.args.text)).toContain(card.reference);
    expect(String(alert.args.text)).toContain('WhatsApp Business');
  });

  it('names the channel whose reconnection-code checks paused (SLACK_LANGUAGE fr)', async () => {
    const taskId = await f.t.relais.db.$transaction((tx) =>
      enqueueTask(tx, 'staff.alert', { code: 'reconnect_codes_paused', channel: 'TELEGRAM' }),
    );
    await f.t.relais.dispatcher.dispatchJobs([taskId]);
    const alert = await eventually(async () =>
      f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === ALERTS && String(c.args.text).includes('codes de reconnexion')),
    );
    expect(String(alert.args.text)).toContain('sur TELEGRAM');
  });
});
