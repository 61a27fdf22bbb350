import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { executeCommand } from '../../../src/core/commands/commandRegistry.js';
import type { DomainCommand } from '../../../src/core/commands/commandTypes.js';
import { prismaTransaction } from '../../../src/core/db/transaction.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');
let associationId: string;

beforeAll(async () => {
  t = await startTestRelais(
    'request_flows',
    { RECHARGE_QUOTA_COUNT: '1', RECHARGE_QUOTA_DAYS: '30' },
    { transports: () => [channel] },
  );
  // before anyone writes, so the flows' cached association list has it
  associationId = (
    await t.relais.db.association.create({ data: { slug: 'utopia', name: 'Utopia 56', city: 'Calais' } })
  ).id;
});
afterAll(async () => {
  await t?.close();
});

const person = (id: string) => new Person(t.relais, channel, id);

describe('requests through the real inbound path', () => {
  it(
    "a phone request is stored with a reference and validated details, the person's association is set, and they " +
      'are told the next step',
    async () => {
      const amina = person('tg-amina');
      await amina.onboard('en');
      await amina.choose('phone', 'family', 'stolen', 'high', `assoc:${associationId}`);
      await amina.send({ kind: 'location', latitude: 50.951283, longitude: 1.858686 });
      await amina.choose('send');
      const contactId = await amina.contactId();
      const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId } });
      expect(request).toMatchObject({
        kind: 'PHONE',
        status: 'OPEN',
        urgency: 'HIGH',
        associationId,
        language: 'en',
        flaggedReason: null,
      });
      expect(request.reference).toMatch(/^P-\d{4,}$/);
      expect(request.details).toEqual({
        forWhom: 'family',
        situation: 'stolen',
        stay: { latitude: 50.951, longitude: 1.859 },
      });
      expect((await t.relais.db.contact.findUniqueOrThrow({ where: { id: contactId } })).associationId).toBe(
        associationId,
      );
      expect(
        await t.relais.db.outboxJob.count({
          where: { name: 'request.created', data: { equals: { requestId: request.id } } },
        }),
      ).toBe(1);
      await amina.receives(amina.t('phone:created', { reference: request.reference }));
      await amina.receives(amina.t('phone:next_step_association', { association: 'Utopia 56' }));

      // asking again while the first is open says so at the first step, not a second request
      await amina.choose('phone');
      const status = amina.t('myRequests:status_OPEN');
      await amina.receives(amina.t('phone:already_open_start', { reference: request.reference, status }));
      await amina.choose('menu');
      expect(await t.relais.db.request.count({ where: { contactId, kind: 'PHONE' } })).toBe(1);
    },
  );

  it(
    'over the recharge quota the request is still recorded, ' +
      'flagged for a volunteer, and the person is told kindly',
    async () => {
      const bilal = person('tg-bilal');
      await bilal.onboard('ar');
      await bilal.choose('recharge', 'lycamobile', 'eur10', 'send');
      await bilal.choose('recharge', 'orange', 'data4gb', 'send');
      const contactId = await bilal.contactId();
      const requests = await t.relais.db.request.findMany({
        where: { contactId, kind: 'RECHARGE' },
        orderBy: { number: 'asc' },
      });
      expect(requests.map((r) => r.flaggedReason)).toEqual([null, 'over_quota']);
      expect(requests[1]?.details).toEqual({ operator: 'orange', offer: 'data4gb' });
      const kindly = await bilal.receives(bilal.t('recharge:over_quota', { count: 1, days: 30 }, 'ar'));
      expect(channel.sent.find((m) => m.content.text === kindly)?.content.rtl).toBe(true);
    },
  );

  it('a cancelled recharge request does not count towards the quota', async () => {
    const chen = person('tg-chen');
    await chen.onboard('en');
    await chen.choose('recharge', 'free', 'eur5', 'send');
    await chen.choose('myRequests');
    const [first] = await t.relais.db.request.findMany({ where: { contactId: await chen.contactId() } });
    await chen.choose(`cancel:${first?.id}`, 'yes');
    await chen.receives(chen.t('myRequests:cancelled', { reference: first?.reference ?? '' }));
    await chen.choose('recharge', 'free', 'eur5', 'send');
    const again = await t.relais.db.request.findFirstOrThrow({
      where: { contactId: await chen.contactId(), status: 'OPEN' },
    });
    expect(again.flaggedReason).toBeNull();
    const cancelled = await t.relais.db.request.findUniqueOrThrow({ where: { id: first?.id ?? '' } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', closeReason: 'cancelled_by_person' });
    expect(
      await t.relais.db.auditEvent.count({ where: { action: 'request.cancelled', entityId: first?.id ?? '' } }),
    ).toBe(1);
  });

  it('a help session is booked as a HELP request with its topic', async () => {
    const dawit = person('tg-dawit');
    await dawit.onboard('ti');
    await dawit.choose('help', 'account', 'book', 'yes');
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await dawit.contactId() } });
    expect(request).toMatchObject({ kind: 'HELP', details: { topic: 'account' } });
    expect(request.reference).toMatch(/^H-/);
    await dawit.receives(dawit.t('phoneHelp:booked', { reference: request.reference }, 'ti'));
  });

  it('"my requests" lists the person\'s own requests in plain words, never someone else\'s', async () => {
    const amina = person('tg-amina');
    await amina.choose('myRequests');
    const own = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await amina.contactId() } });
    await amina.receives(own.reference, { partial: true });
    const listed = amina
      .texts()
      .filter((text) => /[PRHC]-\d{4}/.test(text) && text.includes(amina.t('myRequests:status_OPEN')));
    const others = await t.relais.db.request.findMany({
      where: { NOT: { contactId: await amina.contactId() } },
      select: { reference: true },
    });
    for (const other of others) expect(listed.join('\n')).not.toContain(other.reference);
  });

  it(
    'a request is created on the fast path: no Prisma transaction, the row, its audit event and its task in the ' +
      'same commit',
    async () => {
      const esra = person('tg-esra');
      await esra.onboard('fa');
      await esra.choose('phone', 'self', 'lost', 'low', `assoc:${associationId}`, 'skip');
      const transactions = vi.spyOn(t.relais.db, '$transaction');
      try {
        await esra.choose('send');
        expect(transactions).not.toHaveBeenCalled();
      } finally {
        transactions.mockRestore();
      }
      const contactId = await esra.contactId();
      const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId } });
      expect(request).toMatchObject({ kind: 'PHONE', associationId, language: 'fa', urgency: 'LOW' });
      const audit = await t.relais.db.auditEvent.findFirstOrThrow({
        where: { action: 'request.created', entityId: request.id },
      });
      expect(audit).toMatchObject({
        actorType: 'CONTACT',
        actorId: contactId,
        entityType: 'Request',
        associationId,
        data: { kind: 'PHONE', flagged: false },
      });
      const job = await t.relais.db.outboxJob.findFirstOrThrow({
        where: { name: 'request.created', data: { equals: { requestId: request.id } } },
      });
      expect(job.queue).toBe('tasks');
      // the clocks agree: the row, its audit event and its task carry the commit's time (UTC, as Prisma writes)
      for (const at of [request.createdAt, audit.at, job.createdAt])
        expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
      await esra.receives(esra.t('phone:created', { reference: request.reference }, 'fa'));
    },
  );

  it(
    'inside a Prisma transaction the same command writes the same rows, joins an open request and attaches the ' +
      'message',
    async () => {
      const { config } = t;
      const fatou = person('tg-fatou');
      await fatou.onboard('fr');
      const contactId = await fatou.contactId();
      const inbound = await t.relais.db.message.findFirstOrThrow({
        where: { contactId, direction: 'INBOUND' },
        orderBy: { createdAt: 'desc' },
      });
      const run = (command: Extract<DomainCommand, { type: 'createRequest' }>) =>
        t.relais.db.$transaction((tx) =>
          executeCommand(
            command,
            {
              config,
              secrets: t.relais.secrets,
              i18n: t.relais.i18n,
              now: new Date(),
              channel: 'TELEGRAM',
              identityId: inbound.identityId ?? '',
              contactId,
              inboundMessageId: inbound.id,
              language: 'fr',
            },
            prismaTransaction(tx),
          ),
        );
      const first = await run({
        type: 'createRequest',
        id: 'c1',
        kind: 'CONTACT',
        details: { origin: 'menu' },
        attachMessage: true,
      });
      const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'CONTACT' } });
      expect(first.values).toEqual({ reference: request.reference });
      expect(first.event).toMatchObject({ name: 'requestCreated', data: { requestId: request.id, existing: false } });
      expect(first.jobIds).toHaveLength(2);
      expect(await t.relais.db.outboxJob.count({ where: { id: { in: first.jobIds ?? [] } } })).toBe(2);
      expect((await t.relais.db.message.findUniqueOrThrow({ where: { id: inbound.id } })).requestId).toBe(request.id);
      // a second CONTACT request joins the open one
      const second = await run({
        type: 'createRequest',
        id: 'c2',
        kind: 'CONTACT',
        details: { origin: 'menu' },
        attachMessage: true,
      });
      expect(second.event).toMatchObject({ data: { requestId: request.id, existing: true } });
      expect(await t.relais.db.request.count({ where: { contactId, kind: 'CONTACT' } })).toBe(1);
      // an association id that is not one (a stale button) gives a request without association, no error
      await run({
        type: 'createRequest',
        id: 'h1',
        kind: 'HELP',
        associationId: 'not-a-uuid',
        details: { topic: 'account' },
      });
      expect(await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'HELP' } })).toMatchObject({
        associationId: null,
      });
    },
  );
});
