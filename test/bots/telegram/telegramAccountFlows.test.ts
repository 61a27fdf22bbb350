import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleCheckIns } from '../../../src/core/followUps/followUpService.js';
import { startTelegramTestbed, type TelegramTestbed } from '../../support/telegramEmulator.js';
import type { TelegramTestUser } from '../../support/telegramTestUser.js';
import { inDigits, TelegramWalk } from '../../support/telegramWalk.js';

let bed: TelegramTestbed;
let walk: TelegramWalk;

beforeAll(async () => {
  // one person presses many buttons in a row here: above the flood limit of real use
  bed = await startTelegramTestbed('tg_account', { env: { FLOOD_MAX_PER_MINUTE: '200' } });
  walk = new TelegramWalk(bed);
});
afterAll(async () => {
  await bed?.close();
});

const DAY = 86_400_000;

/** Books a help session from the menu (4 presses); returns its reference. */
async function bookHelp(user: TelegramTestUser, language: string): Promise<string> {
  await walk.openMenu(user, language, 'menu:help');
  await user.press(walk.t(language, 'phoneHelp:topic_apps'));
  await user.press(walk.t(language, 'phoneHelp:choice_book'));
  const [booked] = await user.press(walk.t(language, 'common:choice_yes'));
  return /H-\d+/.exec(booked?.text ?? '')?.[0] ?? expect.unreachable(`no reference in: ${booked?.text}`);
}

/** Asks for a 5 € Lycamobile recharge from the menu; returns its reference. */
async function askForCredit(user: TelegramTestUser, language: string): Promise<string> {
  await walk.openMenu(user, language, 'menu:recharge');
  await user.press('Lycamobile');
  await user.press(walk.t(language, 'recharge:offer_eur5'));
  const [created] = await user.press(walk.t(language, 'recharge:choice_send'));
  return /R-\d+/.exec(created?.text ?? '')?.[0] ?? expect.unreachable(`no reference in: ${created?.text}`);
}

/** "24 Nov" as the list of requests writes a date (Paris time). */
function shortDate(at: Date, language: string): string {
  return new Intl.DateTimeFormat(language, {
    calendar: 'gregory',
    timeZone: 'Europe/Paris',
    day: 'numeric',
    month: 'short',
  }).format(at);
}

describe('account flows on the real bot (long polling against telegram-test-api)', () => {
  it('"my requests" lists the person\'s requests in plain words and cancels one after a confirmation', async () => {
    const t = (key: string, params?: Record<string, string | number>) => walk.t('en', key, params);
    const { db } = bed.relais.relais;
    const sam = bed.user({ languageCode: 'en' });
    await walk.onboard(sam, 'en');
    const help = await bookHelp(sam, 'en');
    const recharge = await askForCredit(sam, 'en');
    const rows = await db.request.findMany({ where: { contactId: await walk.contactId(sam) } });
    const item = (reference: string, status: string) => {
      const row = rows.find((r) => r.reference === reference) ?? expect.unreachable(reference);
      return t('myRequests:item', {
        kind: t(`myRequests:kind_${row.kind}`),
        reference,
        date: shortDate(row.createdAt, 'en'),
        status: t(`myRequests:status_${status}`),
      });
    };

    const listed = await walk.openMenu(sam, 'en', 'menu:my_requests');
    expect(listed[0]?.text).toBe(t('myRequests:title'));
    expect(walk.texts(listed.slice(1, -1)).sort()).toEqual([item(help, 'OPEN'), item(recharge, 'OPEN')].sort());
    const choices = listed.at(-1);
    expect(choices?.text).toBe(t('myRequests:what_next'));
    expect(choices?.buttons.map((b) => b.replace(/^\d+\. /, '')).sort()).toEqual(
      [
        t('myRequests:choice_cancel', { reference: help }),
        t('myRequests:choice_cancel', { reference: recharge }),
        t('common:choice_menu'),
      ].sort(),
    );

    expect(walk.texts(await sam.press(t('myRequests:choice_cancel', { reference: recharge })))).toEqual([
      t('myRequests:confirm_cancel', { reference: recharge }),
    ]);
    expect(walk.texts(await sam.press(t('common:choice_yes')))).toEqual([
      t('myRequests:cancelled', { reference: recharge }),
      t('menu:after_done'),
    ]);
    expect(await db.request.findUniqueOrThrow({ where: { reference: recharge } })).toMatchObject({
      status: 'CANCELLED',
      closeReason: 'cancelled_by_person',
    });
    expect(await db.request.findUniqueOrThrow({ where: { reference: help } })).toMatchObject({ status: 'OPEN' });

    const again = await walk.openMenu(sam, 'en', 'menu:my_requests');
    expect(walk.texts(again)).toContain(item(recharge, 'CANCELLED'));
    expect(again.at(-1)?.buttons.map((b) => b.replace(/^\d+\. /, ''))).toEqual([
      t('myRequests:choice_cancel', { reference: help }),
      t('common:choice_menu'),
    ]);
  });

  it(
    'a check-in due after a hand-over arrives in Arabic with its buttons, and the answer typed in Arabic-Indic ' +
      'digits is recorded',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('ar', key, params);
      const { db, dispatcher } = bed.relais.relais;
      const jamal = bed.user({ languageCode: 'ar' });
      await walk.onboard(jamal, 'ar');
      await walk.openMenu(jamal, 'ar', 'menu:phone');
      await jamal.press(t('phone:for_self'));
      await jamal.press(t('phone:situation_lost'));
      // no association in this database: straight to where the person stays
      expect(walk.texts(await jamal.press(t('phone:urgency_normal')))).toEqual([t('phone:stay')]);
      await jamal.pressReplyButton(t('common:choice_skip'));
      await jamal.press(t('phone:choice_send'));
      const contactId = await walk.contactId(jamal);
      const request = await db.request.findFirstOrThrow({ where: { contactId, kind: 'PHONE' } });

      // the phone was handed over three days ago: the check-in is due now (a delayed job of the real queue)
      const jobIds = await db.$transaction(async (tx) => {
        await tx.request.update({ where: { id: request.id }, data: { status: 'SERVED', servedAt: new Date() } });
        return scheduleCheckIns(tx, {
          requestId: request.id,
          contactId,
          handedOverAt: new Date(Date.now() - 3 * DAY),
          days: [3],
        });
      });
      await dispatcher.dispatchJobs(jobIds);
      const question = await jamal.waitForReply(
        (r) => r.text === t('checkIn:question', { reference: request.reference }),
      );
      expect(question.buttons).toEqual([
        `1. ${t('checkIn:choice_works')}`,
        `2. ${t('checkIn:choice_problem')}`,
        `3. ${t('checkIn:choice_lost')}`,
      ]);
      const followUp = await db.followUp.findFirstOrThrow({ where: { requestId: request.id } });
      expect(followUp.status).toBe('SENT');

      expect(walk.texts(await jamal.sendText('١'))).toEqual([t('checkIn:glad'), t('menu:after_done')]);
      expect(await db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).toMatchObject({
        status: 'ANSWERED',
        answer: 'works',
      });
      expect(
        await db.outboxJob.count({
          where: { name: 'followup.answered', data: { equals: { followUpId: followUp.id } } },
        }),
      ).toBe(1);
    },
  );

  it(
    'a personal code shown to one Telegram account, typed on another in Arabic-Indic digits and confirmed, brings ' +
      "the person's requests there",
    async () => {
      const fa = (key: string, params?: Record<string, string | number>) => walk.t('fa', key, params);
      const en = (key: string, params?: Record<string, string | number>) => walk.t('en', key, params);
      const { db } = bed.relais.relais;
      const oldPhone = bed.user({ languageCode: 'fa' });
      await walk.onboard(oldPhone, 'fa');
      const reference = await bookHelp(oldPhone, 'fa');
      const contactId = await walk.contactId(oldPhone);

      expect(walk.texts(await walk.openMenu(oldPhone, 'fa', 'menu:code'))).toEqual([fa('code:intro')]);
      const shown = await oldPhone.press(fa('code:choice_show'));
      const code =
        /\d{4} \d{4} \d{2}/.exec(shown[0]?.text ?? '')?.[0] ?? expect.unreachable(`no code in: ${shown[0]?.text}`);
      expect(walk.texts(shown)).toEqual([
        fa('code:your_code', { code }),
        fa('code:keep_it', { days: 90 }),
        fa('menu:after_done'),
      ]);

      const newPhone = bed.user({ languageCode: 'en', firstName: 'Kasra' });
      await walk.onboard(newPhone, 'en');
      const blank = await walk.contactId(newPhone);
      await walk.openMenu(newPhone, 'en', 'menu:code');
      expect(walk.texts(await newPhone.press(en('code:choice_have')))).toEqual([en('code:type_it')]);
      const [isItYou] = await newPhone.sendText(inDigits(code, 'arabic'));
      expect(isItYou?.text).toBe(en('code:is_it_you', { count: 1, language: en('languages:fa') }));
      // only a minimal hint: never the reference or what was asked
      expect(isItYou?.text).not.toContain(reference);
      expect(walk.texts(await newPhone.press(en('common:choice_yes')))).toEqual([
        en('code:linked'),
        en('menu:after_done'),
      ]);

      expect(await walk.contactId(newPhone)).toBe(contactId);
      expect(await db.contact.findUnique({ where: { id: blank } })).toBeNull();
      const listed = await walk.openMenu(newPhone, 'en', 'menu:my_requests');
      expect(listed.some((r) => r.text.includes(reference))).toBe(true);
    },
  );

  it(
    'on a shared Telegram account, "I am someone else" starts an empty profile that does not see the first ' +
      "person's requests",
    async () => {
      const ar = (key: string, params?: Record<string, string | number>) => walk.t('ar', key, params);
      const en = (key: string, params?: Record<string, string | number>) => walk.t('en', key, params);
      const { db } = bed.relais.relais;
      const handset = bed.user({ languageCode: 'ar' });
      await walk.onboard(handset, 'ar');
      const firstReference = await askForCredit(handset, 'ar');
      const first = await walk.contactId(handset);

      expect(walk.texts(await walk.openMenu(handset, 'ar', 'menu:other_person'))).toEqual([ar('otherPerson:intro')]);
      expect(walk.texts(await handset.press(ar('otherPerson:choice_new')))).toEqual([ar('otherPerson:confirm_new')]);
      const started = await handset.press(ar('common:choice_yes'));
      // the new person chooses their own language and reads the privacy notice
      expect(walk.texts(started)).toEqual([
        ar('otherPerson:started'),
        ar('onboarding:welcome'),
        ar('privacy:notice_short'),
        ar('onboarding:choose_language'),
      ]);
      const second = await walk.contactId(handset);
      expect(second).not.toBe(first);

      expect(walk.texts(await handset.press(en('languages:en')))).toEqual([
        en('onboarding:language_set'),
        en('privacy:how_to_erase'),
        en('menu:title'),
      ]);
      expect(walk.texts(await walk.openMenu(handset, 'en', 'menu:my_requests'))).toEqual([
        en('myRequests:none'),
        en('menu:after_done'),
      ]);
      expect(handset.received.at(-2)?.text).not.toContain(firstReference);
      expect(await db.request.count({ where: { contactId: first } })).toBe(1);
      expect(await db.request.count({ where: { contactId: second } })).toBe(0);
    },
  );

  it(
    '"delete my data" in Pashto, after a confirmation, erases the person; the next /start begins again with the ' +
      'language choice',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('ps', key, params);
      const { db } = bed.relais.relais;
      const gul = bed.user({ languageCode: 'ps' });
      await walk.onboard(gul, 'ps');
      const reference = await askForCredit(gul, 'ps');
      const contactId = await walk.contactId(gul);

      const before = await db.message.findMany({ where: { contactId }, select: { id: true } });
      expect(walk.texts(await walk.openMenu(gul, 'ps', 'menu:privacy'))).toEqual([
        t('privacy:notice_full'),
        t('privacy:what_next'),
      ]);
      expect(walk.texts(await gul.press(t('privacy:choice_erase')))).toEqual([t('privacy:erase_confirm')]);
      const erased = await gul.press(t('privacy:choice_erase_yes'));
      expect(erased[0]?.text).toBe(t('privacy:erased'));
      expect(erased.at(-1)?.text).toBe(t('onboarding:choose_language'));

      expect(await db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({
        status: 'ERASED',
        language: null,
        consentAt: null,
      });
      expect(await db.request.findUniqueOrThrow({ where: { reference } })).toMatchObject({
        contactId: null,
        details: {},
        status: 'CANCELLED',
        closeReason: 'erased',
      });
      // every message of the conversation (what the person typed, what Relais said) is emptied and unlinked
      const purged = await db.message.findMany({
        where: { id: { in: before.map((m) => m.id) } },
        select: { content: true, contactId: true },
      });
      expect(purged.length).toBeGreaterThan(10);
      expect(purged.filter((m) => m.content !== null || m.contactId !== null)).toEqual([]);
      expect(await walk.contactId(gul)).not.toBe(contactId);

      const welcome = await gul.start();
      expect(walk.texts(welcome)).toEqual([
        t('onboarding:welcome'),
        t('privacy:notice_short'),
        t('onboarding:choose_language'),
      ]);
      expect(welcome.at(-1)?.buttons).toHaveLength(8);
    },
  );

  it(
    'the language changes at any time, and menu / back ' + '/ help / stop work as words of a right-to-left language',
    async () => {
      const fa = (key: string, params?: Record<string, string | number>) => walk.t('fa', key, params);
      const ar = (key: string, params?: Record<string, string | number>) => walk.t('ar', key, params);
      const { db } = bed.relais.relais;
      const nasrin = bed.user({ languageCode: 'fa' });
      await walk.onboard(nasrin, 'fa');
      const contactId = await walk.contactId(nasrin);

      await walk.openMenu(nasrin, 'fa', 'menu:phone');
      expect(walk.texts(await nasrin.press(fa('phone:for_self')))).toEqual([fa('phone:situation')]);
      expect(walk.texts(await nasrin.sendText('برگشت'))).toEqual([fa('phone:for_whom')]);
      expect(walk.texts(await nasrin.sendText('کمک'))).toEqual([fa('common:help'), fa('phone:for_whom')]);
      expect(walk.texts(await nasrin.sendText('منو'))).toEqual([fa('menu:title')]);

      // in the middle of a question, the language keyword
      await nasrin.press(fa('menu:recharge'));
      expect(walk.texts(await nasrin.sendText('زبان'))).toEqual([fa('onboarding:choose_language')]);
      expect(walk.texts(await nasrin.press('العربية'))).toEqual([ar('onboarding:language_set'), ar('menu:title')]);
      expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).language).toBe('ar');

      expect(walk.texts(await nasrin.sendText('توقف'))).toEqual([ar('common:stopped')]);
      expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).status).toBe('PAUSED');
      expect(walk.texts(await nasrin.sendText('سلام'))).toEqual([ar('common:welcome_back'), ar('menu:title')]);
      expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).status).toBe('ACTIVE');
    },
  );
});
