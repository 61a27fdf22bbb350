import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Person } from '../../support/person.js';
import { eventually } from '../../support/testRelais.js';
import { WebChatVisitor } from '../../support/webChatVisitor.js';
import { lastRenderOf, STAFF, startSlackFixture, TRIAGE, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
const COORDINATOR_B = 'UCOOB0001';
const ADMIN = 'UADMIN0001';
let coordinatorB: string;
let admin: string;

beforeAll(async () => {
  f = await startSlackFixture('slack_codes', { FLOOD_MAX_PER_MINUTE: '200' });
  const db = f.t.relais.db;
  coordinatorB = (
    await db.staffMember.create({
      data: { slackUserId: COORDINATOR_B, associationId: f.seed.associationB, role: 'COORDINATOR', language: 'en' },
    })
  ).id;
  admin = (
    await db.staffMember.create({
      data: { slackUserId: ADMIN, associationId: f.seed.associationA, role: 'ADMIN', language: 'en' },
    })
  ).id;
});
afterAll(async () => {
  await f?.close();
});

const text = (body: Record<string, unknown>) => String(body.text);
const codeIn = (body: Record<string, unknown>) => /\*(\d{4} \d{4} \d{2})\*/.exec(text(body))?.[1];
const askCode = async (userId: string, reference: string) =>
  (await f.slack.command({ userId, text: `code ${reference}` })).json();

describe("/relais code: who may hand a person's record to a new phone", () => {
  it(
    "a volunteer of another association asking a code for someone else's triage request gets none, and the refusal " +
      'is audited',
    async () => {
      const contactId = await f.newPerson('+33677770001', 'fa');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: null });
      const answer = await askCode(STAFF.volunteerB, request.reference);
      expect(codeIn(answer)).toBeUndefined();
      expect(text(answer)).toContain('coordinator');
      expect(await f.t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(0);
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'code.refused', actorId: f.seed.staff.volunteerB, entityId: request.id },
        }),
      ).toBe(1);
      // nor a volunteer of the request's own association
      const own = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
      expect(codeIn(await askCode(STAFF.volunteerA, own.reference))).toBeUndefined();
      expect(await f.t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(0);
    },
  );

  it(
    'a coordinator of another association gets no code for ' + 'a request of an association, its own coordinator does',
    async () => {
      const contactId = await f.newPerson('+33677770002', 'en');
      const request = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA });
      expect(codeIn(await askCode(COORDINATOR_B, request.reference))).toBeUndefined();
      expect(codeIn(await askCode(STAFF.coordinatorA, request.reference))).toBeDefined();
      expect(
        await f.t.relais.db.reconnectCode.count({
          where: { contactId, kind: 'ONE_TIME', issuedById: f.seed.staff.coordinatorA },
        }),
      ).toBe(1);
    },
  );

  it('for a triage request any coordinator and an admin get a code, each issue audited with the request', async () => {
    const contactId = await f.newPerson('+33677770003', 'en');
    const request = await f.newRequest({ kind: 'HELP', contactId, associationId: null });
    expect(codeIn(await askCode(COORDINATOR_B, request.reference))).toBeDefined();
    expect(codeIn(await askCode(ADMIN, request.reference))).toBeDefined();
    const issued = await f.t.relais.db.auditEvent.findMany({
      where: { action: 'code.issued', entityId: contactId },
      orderBy: { at: 'asc' },
      select: { actorId: true, data: true },
    });
    expect(issued).toEqual([
      { actorId: coordinatorB, data: { requestId: request.id } },
      { actorId: admin, data: { requestId: request.id } },
    ]);
  });
});

describe('linking a new account is never silent', () => {
  it(
    "a record taken over with a one-time code warns the person's previous account in their language, and the card " +
      'shows the link',
    async () => {
      const owner = new Person(f.t.relais, f.people, 'tg-owner-777');
      await owner.onboard('fa');
      // a triage request (no association chosen), as in the attack
      await owner.choose('phone', 'self', 'stolen', 'high', 'none', 'skip', 'send');
      const contactId = await owner.contactId();
      const request = await eventually(async () =>
        f.t.relais.db.request.findFirst({ where: { contactId, slackTs: { not: null } } }),
      );
      const code = codeIn(await askCode(STAFF.coordinatorA, request.reference));
      expect(code).toBeDefined();

      const taker = new WebChatVisitor(f.t.relais);
      await taker.onboard('en');
      await taker.choose('code', 'have');
      await taker.say(code ?? '');
      await taker.choose('yes');
      await taker.receives(f.t.relais.i18n.t('en', 'code:linked'));
      expect(await taker.contactId()).toBe(contactId);

      // the previous account hears of it, in Persian
      await owner.receives(owner.t('code:new_account_linked', {}, 'fa'));
      expect(f.people.lastTo('tg-owner-777')?.rtl).toBe(true);
      expect(await f.t.relais.db.auditEvent.count({ where: { action: 'identity.linked', entityId: contactId } })).toBe(
        1,
      );
      // staff see it on the request's card
      const card = await eventually(async () => {
        const render = lastRenderOf(f.fake, request.slackChannelId ?? TRIAGE, request.slackTs ?? '');
        return JSON.stringify(render?.blocks ?? []).includes('🔗') ? render : undefined;
      });
      // the triage channel reads SLACK_LANGUAGE (French by default)
      expect(JSON.stringify(card?.blocks)).toContain('Un nouveau compte a été lié à cette personne');
    },
  );
});
