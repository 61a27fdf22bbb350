import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/core/apiTokens/apiTokenService.js';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, lastRenderOf, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
const tokens = { network: '', boundA: '', boundB: '' };
beforeAll(async () => {
  f = await startSlackFixture('slack_audit');
  const make = async (name: string, associationId: string | null) =>
    (
      await createApiToken(f.t.relais.db, {
        name,
        scopes: ['read'],
        associationId,
        actor: { type: 'SYSTEM', id: null },
      })
    ).token;
  tokens.network = await make('exports', null);
  tokens.boundA = await make('utopia', f.seed.associationA);
  tokens.boundB = await make('auberge', f.seed.associationB);
});
afterAll(async () => {
  await f?.close();
});

const text = (body: Record<string, unknown>) => String(body.text);
const closeValues = (reason: string) => ({
  reason: { reason: { type: 'static_select', selected_option: { value: reason } } },
});

interface AuditItem {
  action: string;
  label: string;
  actorType: string;
  staffId: string | null;
  staffSlackId: string | null;
  entityId: string | null;
  details: Record<string, unknown>;
}
async function audit(query: string, token = tokens.network) {
  const response = await f.t.relais.app.inject({
    method: 'GET',
    url: `/api/v1/audit?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.statusCode, body: response.json<{ items: AuditItem[]; nextCursor: string | null }>() };
}

describe('closing a request tells the person why, in their language', () => {
  const cases = [
    { reason: 'served', language: 'ar', phone: '+33633330001', expected: 'تم إغلاق طلبك' },
    { reason: 'served_elsewhere', language: 'fa', phone: '+33633330002', expected: 'از جای دیگری کمک گرفتید' },
    { reason: 'withdrawn', language: 'en', phone: '+33633330003', expected: 'as you no longer need it' },
    { reason: 'cannot_help', language: 'fr', phone: '+33633330004', expected: 'Où et quand' },
    { reason: 'not_eligible', language: 'ti', phone: '+33633330005', expected: 'ኣበይን መዓስን' },
    { reason: 'unreachable', language: 'ps', phone: '+33633330006', expected: 'اړیکه نشوه نیولای' },
    { reason: 'other', language: 'am', phone: '+33633330007', expected: 'ጥያቄዎ' },
    { reason: 'duplicate', language: 'ckb', phone: '+33633330008', expected: null },
    { reason: 'spam', language: 'en', phone: '+33633330009', expected: null },
  ];
  it.each(cases)('closed as $reason ($language)', async ({ reason, language, phone, expected }) => {
    const contactId = await f.newPerson(phone, language);
    const request = await f.newRequest({ kind: 'RECHARGE', contactId, associationId: f.seed.associationA, language });
    const response = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'close_request',
      metadata: { requestId: request.id },
      values: closeValues(reason),
    });
    expect(response.body).toBe('');
    expect(await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'CLOSED',
      closeReason: reason,
    });
    if (expected) {
      const told = await eventually(async () => f.people.sent.find((m) => m.address === phone)?.content);
      expect(told.text).toContain(expected);
      expect(told.text).toContain(request.reference);
      expect(told.text).toBe(f.t.relais.i18n.t(language, `requestClosed:${reason}`, { reference: request.reference }));
      expect(await f.t.relais.db.message.count({ where: { requestId: request.id, direction: 'OUTBOUND' } })).toBe(1);
    } else {
      // the card is refreshed after the commit: by then a message would be in the outbox too
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, request.channel, request.ts)?.blocks ?? '').includes('Fermée'),
      );
      expect(await f.t.relais.db.message.count({ where: { requestId: request.id, direction: 'OUTBOUND' } })).toBe(0);
      expect(f.people.sent.filter((m) => m.address === phone)).toHaveLength(0);
    }
  });
});

describe('assigning a request to a colleague', () => {
  it(
    'a coordinator assigns with the user picker: the volunteer gets ' + 'a DM once, the card shows them, it is audited',
    async () => {
      const contactId = await f.newPerson('+33633330100', 'fr');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'request.assign',
        value: request.id,
        channelId: CHANNEL_A,
      });
      const opened = await eventually(async () =>
        f.fake
          .of('views.open')
          .find(
            (c) =>
              JSON.stringify(c.args.view).includes('assign_request') &&
              JSON.stringify(c.args.view).includes(request.reference),
          ),
      );
      expect(JSON.stringify(opened.args.view)).toContain('users_select');

      const values = (user: string) => ({ assignee: { user: { type: 'users_select', selected_user: user } } });
      // someone of another association cannot be given the request
      const refused = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'assign_request',
        metadata: { requestId: request.id },
        values: values(STAFF.volunteerB),
      });
      expect(refused.json()).toEqual({
        response_action: 'errors',
        errors: { assignee: "Cette personne n'est pas membre actif·ve de l'association de la demande." },
      });

      const viewId = 'VASSIGN0001';
      const accepted = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'assign_request',
        metadata: { requestId: request.id },
        values: values(STAFF.volunteerA),
        viewId,
      });
      expect(accepted.body).toBe('');
      // the same submission delivered twice assigns (and tells) once
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'assign_request',
        metadata: { requestId: request.id },
        values: values(STAFF.volunteerA),
        viewId,
      });
      expect(await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
        status: 'CLAIMED',
        assigneeId: f.seed.staff.volunteerA,
      });
      const dm = await eventually(async () =>
        f.fake.of('chat.postMessage').find((c) => c.args.channel === STAFF.volunteerA),
      );
      expect(text(dm.args)).toContain(`<@${STAFF.coordinatorA}> vous a attribué la demande ${request.reference}`);
      expect(text(dm.args)).toContain(`<#${CHANNEL_A}>`);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, request.channel, request.ts)?.blocks ?? '').includes(
          `<@${STAFF.volunteerA}>`,
        ),
      );
      const job = await f.t.relais.db.outboxJob.findFirstOrThrow({
        where: { name: 'request.assigned', data: { path: ['requestId'], equals: request.id } },
      });
      await eventually(
        async () => (await f.t.relais.db.outboxJob.findUniqueOrThrow({ where: { id: job.id } })).status === 'DONE',
      );
      expect(f.fake.of('chat.postMessage').filter((c) => c.args.channel === STAFF.volunteerA)).toHaveLength(1);
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'request.assigned', entityId: request.id, actorId: f.seed.staff.coordinatorA },
        }),
      ).toBe(1);
    },
  );

  it('a volunteer is told only coordinators assign; nothing changes', async () => {
    const contactId = await f.newPerson('+33633330101', 'fr');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.assign',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(async () =>
      f.fake
        .of('chat.postEphemeral')
        .find(
          (c) => c.args.user === STAFF.volunteerA && text(c.args).includes('Seul·es les coordinateur·rices attribuent'),
        ),
    );
    expect((await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).assigneeId).toBeNull();
  });
});

describe('reading the audit trail', () => {
  it('/relais history lists who did what and when on a request, as labels, never the person', async () => {
    const phone = '+33633330200';
    const contactId = await f.newPerson(phone, 'en');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'request.claim',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(
      async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'CLAIMED',
    );
    await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'close_request',
      metadata: { requestId: request.id },
      values: closeValues('served_elsewhere'),
    });

    const answer = (
      await f.slack.command({ userId: STAFF.volunteerA, text: `historique ${request.reference.toLowerCase()}` })
    ).json();
    const shown = text(answer);
    expect(shown).toContain(`Historique de ${request.reference}`);
    const lines = shown.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/la personne · demande reçue$/);
    expect(lines[1]).toContain(`<@${STAFF.volunteerA}> · demande prise en charge`);
    expect(lines[2]).toContain(`<@${STAFF.volunteerA}> · demande fermée (servie ailleurs)`);
    expect(shown).not.toContain('request.');
    expect(shown).not.toContain(contactId);
    expect(shown).not.toContain(phone);

    // another association's volunteer reads it as unknown; nonsense gets the usage
    const other = text(
      (await f.slack.command({ userId: STAFF.volunteerB, text: `history ${request.reference}` })).json(),
    );
    expect(other).toContain(`Nothing found for ${request.reference}`);
    expect(text((await f.slack.command({ userId: STAFF.volunteerB, text: 'history' })).json())).toContain(
      'Usage: `/relais history P-1042`',
    );
  });

  it('/relais history of a device follows it from stock to its allocation', async () => {
    const contactId = await f.newPerson('+33633330201', 'fr');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const deviceId = f.seed.devicesA[0] ?? '';
    await f.slack.viewSubmission({
      userId: STAFF.coordinatorA,
      callbackId: 'allocate_device',
      metadata: { requestId: request.id },
      values: {
        'device:*': { device: { type: 'static_select', selected_option: { value: deviceId } } },
        appointment_at: { at: { type: 'datetimepicker', selected_date_time: null } },
        appointment_place: { place: { type: 'plain_text_input', value: null } },
      },
    });
    await eventually(
      async () => (await f.t.relais.db.device.findUniqueOrThrow({ where: { id: deviceId } })).status === 'ALLOCATED',
    );
    const shown = text(
      (await f.slack.command({ userId: STAFF.volunteerA, text: 'historique 356938035643809' })).json(),
    );
    expect(shown).toContain(`<@${STAFF.coordinatorA}> · appareil attribué`);
    // the request's history names the device given to it
    const ofRequest = text(
      (await f.slack.command({ userId: STAFF.volunteerA, text: `historique ${request.reference}` })).json(),
    );
    expect(ofRequest).toContain('appareil attribué');
  });

  it(
    'GET /api/v1/audit filters by reference, staff member, action and period, pages, and keeps bound tokens to ' +
      'their association',
    async () => {
      const contactId = await f.newPerson('+33633330300', 'en');
      const request = await f.newRequest({ kind: 'HELP', contactId, associationId: f.seed.associationA });
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'request.claim',
        value: request.id,
        channelId: CHANNEL_A,
      });
      await eventually(
        async () => (await f.t.relais.db.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'CLAIMED',
      );
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'close_request',
        metadata: { requestId: request.id },
        values: closeValues('withdrawn'),
      });

      const all = await audit(`reference=${request.reference}&lang=fr`);
      expect(all.status).toBe(200);
      expect(all.body.items.map((i) => i.action)).toEqual(['request.closed', 'request.claimed', 'request.created']);
      expect(all.body.items.map((i) => i.label)).toEqual([
        'demande fermée',
        'demande prise en charge',
        'demande reçue',
      ]);
      expect(all.body.items[0]).toMatchObject({
        actorType: 'STAFF',
        staffId: f.seed.staff.coordinatorA,
        staffSlackId: STAFF.coordinatorA,
        details: { reason: 'withdrawn', from: 'CLAIMED', to: 'CLOSED' },
      });
      // the person's pseudonymous id is not exported
      expect(JSON.stringify(all.body)).not.toContain(contactId);

      expect((await audit(`reference=${request.reference}&action=request.closed`)).body.items).toHaveLength(1);
      expect((await audit(`reference=${request.reference}&action=request.`)).body.items).toHaveLength(3);
      expect(
        (await audit(`reference=${request.reference}&staffId=${f.seed.staff.coordinatorA}`)).body.items.map(
          (i) => i.action,
        ),
      ).toEqual(['request.closed', 'request.claimed']);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect((await audit(`reference=${request.reference}&from=${future}`)).body.items).toHaveLength(0);
      const firstPage = await audit(`reference=${request.reference}&limit=2`);
      expect(firstPage.body.items).toHaveLength(2);
      const secondPage = await audit(`reference=${request.reference}&limit=2&cursor=${firstPage.body.nextCursor}`);
      expect(secondPage.body.items.map((i) => i.action)).toEqual(['request.created']);
      expect(secondPage.body.nextCursor).toBeNull();

      // bound tokens: their own association's actions only
      expect((await audit(`reference=${request.reference}`, tokens.boundA)).body.items).toHaveLength(3);
      expect((await audit(`reference=${request.reference}`, tokens.boundB)).body.items).toHaveLength(0);
      expect((await audit(`associationId=${f.seed.associationA}`, tokens.boundB)).body.items).toHaveLength(0);
      const own = await audit('limit=200', tokens.boundB);
      expect(own.body.items.every((i) => JSON.stringify(i).includes(f.seed.associationB))).toBe(true);
      // bad input is a 400, no token a 401
      expect((await audit('from=yesterday')).status).toBe(400);
      expect((await audit('action=DROP TABLE')).status).toBe(400);
      expect((await f.t.relais.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
      const docs = await f.t.relais.app.inject({ method: 'GET', url: '/docs/json' });
      expect(docs.json<{ paths: Record<string, unknown> }>().paths['/api/v1/audit']).toBeDefined();
    },
  );
});

describe('App Home', () => {
  it("lists today's and overdue appointments and the association's last actions", async () => {
    const contactId = await f.newPerson('+33633330400', 'fr');
    const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
    const deviceId = f.seed.devicesA[1] ?? '';
    const at = Math.floor(Date.now() / 1000) + 60;
    const response = await f.slack.viewSubmission({
      userId: STAFF.volunteerA,
      callbackId: 'allocate_device',
      metadata: { requestId: request.id },
      values: {
        'device:*': { device: { type: 'static_select', selected_option: { value: deviceId } } },
        appointment_at: { at: { type: 'datetimepicker', selected_date_time: at } },
        appointment_place: { place: { type: 'plain_text_input', value: 'Local Utopia' } },
      },
    });
    expect(response.body).toBe('');
    // an appointment of yesterday still waiting: overdue
    await f.t.relais.db.allocation.updateMany({
      where: { requestId: request.id, status: 'ACTIVE' },
      data: { appointmentAt: new Date(Date.now() - 86_400_000) },
    });
    await f.slack.event({ type: 'app_home_opened', user: STAFF.coordinatorA, channel: 'DHOMEC', tab: 'home' });
    const published = await eventually(async () =>
      f.fake.of('views.publish').find((c) => c.args.user_id === STAFF.coordinatorA),
    );
    const view = JSON.stringify(published.args.view);
    expect(view).toContain('Rendez-vous du jour et en retard');
    expect(view).toContain(`${request.reference} · 📍 Local Utopia · ⚠️ en retard`);
    expect(view).toContain("Dernières actions de l'association");
    expect(view).toContain(`<@${STAFF.volunteerA}> · appareil attribué`);
    expect(view).not.toContain('device.allocated');
    const recentLines = view.match(/ · (la personne|Relais|<@U[A-Z0-9]+>|API d'administration) · /g) ?? [];
    expect(recentLines.length).toBeLessThanOrEqual(20);
  });
});
