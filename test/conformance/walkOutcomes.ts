import { expect } from 'vitest';
import type { Walk } from '../support/walks.js';
import type { ChannelDriver } from './channelDriver.js';
import { identityOf, type WalkResult } from './walkRunner.js';

function referenceIn(texts: string[], prefix: string): string {
  const match = texts.map((text) => new RegExp(`${prefix}-\\d{4,}`).exec(text)?.[0]).find((m) => m !== undefined);
  return match ?? expect.unreachable(`no ${prefix}- reference in the replies`);
}

/** What a walk left in the database, the same on every channel. */
export async function expectOutcome(driver: ChannelDriver, walk: Walk, result: WalkResult): Promise<void> {
  const { db } = driver.relais;
  const first = Object.keys(walk.people)[0] ?? '';
  const account = result.accounts[first] ?? expect.unreachable('no first person');
  const identity = await identityOf(driver, account.person);
  const texts = (result.replies[first] ?? []).map((r) => r.text);
  const contact = await db.contact.findUniqueOrThrow({ where: { id: identity.contactId } });
  expect(contact.consentAt, 'the privacy notice was accepted').not.toBeNull();
  // the language last chosen (on the account that chose it last)
  expect(contact.language).toBe(walk.outcome === 'linkedAccount' ? result.accounts.new?.shown : account.shown);

  switch (walk.outcome) {
    case 'phoneRequest': {
      const request = await db.request.findFirstOrThrow({ where: { contactId: contact.id } });
      expect(request).toMatchObject({
        kind: 'PHONE',
        status: 'OPEN',
        language: 'en',
        urgency: 'HIGH',
        details: { forWhom: 'self', situation: 'lost' },
      });
      expect(referenceIn(texts, 'P')).toBe(request.reference);
      // one request, however often the person came back to the phone entry: every reference said is its own
      expect(await db.request.count({ where: { contactId: contact.id } })).toBe(1);
      expect(new Set(texts.flatMap((text) => text.match(/P-\d{4,}/g) ?? []))).toEqual(new Set([request.reference]));
      expect(
        await db.outboxJob.count({
          where: { name: 'request.created', data: { path: ['requestId'], equals: request.id } },
        }),
      ).toBe(1);
      return;
    }
    case 'rechargeRequest': {
      const request = await db.request.findFirstOrThrow({ where: { contactId: contact.id } });
      expect(request).toMatchObject({
        kind: 'RECHARGE',
        status: 'OPEN',
        language: 'ar',
        details: { operator: 'lycamobile', offer: 'eur10' },
        flaggedReason: null,
      });
      expect(referenceIn(texts, 'R')).toBe(request.reference);
      return;
    }
    case 'linkedAccount': {
      const linked = await identityOf(driver, result.accounts.new?.person ?? expect.unreachable('no new account'));
      expect(linked.contactId, 'the new account belongs to the person now').toBe(contact.id);
      expect(await db.auditEvent.count({ where: { action: 'identity.linked', entityId: contact.id } })).toBe(1);
      // the code was shown once and typed once: it is stored nowhere in clear
      const code = result.captured.code ?? expect.unreachable('no code captured');
      const rows = await db.message.findMany({
        where: { identityId: { in: [identity.id, linked.id] } },
        select: { content: true },
      });
      expect(JSON.stringify(rows)).not.toContain(code);
      expect(JSON.stringify(rows)).not.toContain(code.replace(/ /g, ''));
      return;
    }
    case 'volunteerChat': {
      const request = await db.request.findFirstOrThrow({ where: { contactId: contact.id } });
      expect(request).toMatchObject({
        kind: 'CONTACT',
        status: 'OPEN',
        associationId: null,
        details: { origin: 'menu' },
      });
      expect(referenceIn(texts, 'C')).toBe(request.reference);
      const words = await db.message.findMany({
        where: { requestId: request.id, direction: 'INBOUND' },
        orderBy: { seq: 'asc' },
      });
      const typed = walk.steps.flatMap((s) => (s.action.do === 'type' ? [s.action.text] : []));
      expect(words.map((m) => m.content)).toEqual(typed.map((text) => ({ kind: 'text', text })));
      expect(
        await db.outboxJob.count({
          where: { name: 'request.message', data: { path: ['requestId'], equals: request.id } },
        }),
      ).toBe(typed.length);
      return;
    }
    case undefined:
      return;
  }
}
