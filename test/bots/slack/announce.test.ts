import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, lastRenderOf, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
let placeId = '';

beforeAll(async () => {
  f = await startSlackFixture('slack_announce', {
    ANNOUNCEMENT_FEED_INTERVAL_MS: '100',
    TELEGRAM_RATE_PER_CHAT_MS: '0',
  });
  const db = f.t.relais.db;
  placeId = (
    await db.place.create({
      data: {
        name: 'Salle Jean Jaurès',
        category: 'DISTRIBUTION',
        address: '3 place Crèvecœur',
        postcode: '62100',
        city: 'Calais',
        associationId: f.seed.associationA,
      },
    })
  ).id;
  for (const [id, language] of [
    ['tg-ar-1', 'ar'],
    ['tg-ar-2', 'ar'],
    ['tg-ps-1', 'ps'],
  ] as const) {
    const contactId = await f.newPerson(id, language);
    await db.contact.update({ where: { id: contactId }, data: { associationId: f.seed.associationA } });
  }
  // someone of the other association: never reached from association A
  await db.contact.update({
    where: { id: await f.newPerson('tg-b-1', 'ar') },
    data: { associationId: f.seed.associationB },
  });
});
afterAll(async () => {
  await f?.close();
});

type Values = Record<string, Record<string, Record<string, unknown>>>;
const select = (value: string | null) => ({
  value: { type: 'static_select', selected_option: value === null ? null : { value } },
});
const many = (values: string[] = []) => ({
  value: { type: 'multi_static_select', selected_options: values.map((value) => ({ value })) },
});
const text = (value: string | null = null) => ({ value: { type: 'plain_text_input', value } });

/** `view.state.values` of the compose modal as Slack sends it (empty inputs are null). */
function composeValues(o: {
  kind: string;
  place?: string;
  date?: string;
  time?: string;
  languages?: string[];
  sendAt?: number;
}): Values {
  return {
    kind: select(o.kind),
    place: select(o.place ?? null),
    date: { value: { type: 'datepicker', selected_date: o.date ?? null } },
    time: { value: { type: 'timepicker', selected_time: o.time ?? null } },
    note: text(),
    kinds: many(),
    statuses: many(),
    active_days: text(),
    languages: many(o.languages),
    channels: many(),
    departements: text(),
    send_at: { value: { type: 'datetimepicker', selected_date_time: o.sendAt ?? null } },
  };
}

const metadataOf = (answer: { view?: { private_metadata?: string } }): Record<string, string> =>
  JSON.parse(answer.view?.private_metadata ?? '{}');
const received = (platformId: string) => f.people.textsTo(platformId).filter((t) => t.startsWith('📢'));

describe('/relais announce', () => {
  it('a volunteer is told that only coordinators announce, and no modal opens', async () => {
    const answer = (await f.slack.command({ userId: STAFF.volunteerA, text: 'annonce' })).json();
    expect(answer.text).toContain('Seuls les coordinateurs');
    expect(f.fake.of('views.open')).toHaveLength(0);
  });

  it(
    'a coordinator composes a distribution, sees the preview (counts, time per channel, two languages), sends it; ' +
      'each person gets it in their language and the progress message counts them',
    async () => {
      await f.slack.command({ userId: STAFF.coordinatorA, text: 'annonce', channelId: CHANNEL_A });
      const opened = await eventually(async () => f.fake.of('views.open').at(-1));
      expect(JSON.stringify(opened.args)).toContain('Salle Jean Jaurès');

      const step1 = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'announce_compose',
        metadata: { channel: CHANNEL_A },
        values: composeValues({ kind: 'distribution', place: placeId }),
      });
      const errors = step1.json();
      expect(errors.response_action).toBe('errors');
      expect(errors.errors).toHaveProperty('date');
      expect(errors.errors).toHaveProperty('time');

      const preview = (
        await f.slack.viewSubmission({
          userId: STAFF.coordinatorA,
          callbackId: 'announce_compose',
          metadata: { channel: CHANNEL_A },
          values: composeValues({ kind: 'distribution', place: placeId, date: '2026-09-26', time: '10:00' }),
        })
      ).json();
      expect(preview.response_action).toBe('update');
      const shown = JSON.stringify(preview.view);
      expect(shown).toContain('3 personnes');
      expect(shown).toContain('Telegram : 3 ≈ 1 s');
      expect(shown).toContain('arabe 2');
      expect(shown).toContain('Comme le liront les lecteurs en arabe');
      expect(shown).toContain('Comme le liront les lecteurs en pachto');

      const sent = await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'announce_preview',
        metadata: metadataOf(preview),
        values: {},
        viewId: 'VANNOUNCE1',
      });
      expect(sent.statusCode).toBe(200);
      await eventually(
        async () =>
          received('tg-ar-1').length === 1 && received('tg-ar-2').length === 1 && received('tg-ps-1').length === 1,
        15_000,
      );
      expect(received('tg-ar-1')[0]).toContain(f.t.relais.i18n.t('ar', 'announcements:stop_word'));
      expect(received('tg-ps-1')[0]).toContain('Salle Jean Jaurès');
      expect(received('tg-b-1')).toEqual([]);
      const post = f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === CHANNEL_A && String(c.args.text).includes('Annonce n°'));
      expect(post).toBeDefined();
      const announcement = await f.t.relais.db.announcement.findFirstOrThrow({ where: { template: 'distribution' } });
      await eventually(
        async () =>
          JSON.stringify(lastRenderOf(f.fake, CHANNEL_A, announcement.slackTs ?? '')).includes('*Envoyés :* 3'),
        10_000,
      );
      expect(JSON.stringify(lastRenderOf(f.fake, CHANNEL_A, announcement.slackTs ?? ''))).toContain('Terminée');
      // the same submission delivered twice creates one announcement
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'announce_preview',
        metadata: metadataOf(preview),
        values: {},
        viewId: 'VANNOUNCE1',
      });
      expect(await f.t.relais.db.announcement.count({ where: { template: 'distribution' } })).toBe(1);
    },
  );

  it(
    'free text shows one field per language with its readers; a language left empty is left out and the progress ' +
      'says so',
    async () => {
      const step2 = (
        await f.slack.viewSubmission({
          userId: STAFF.coordinatorA,
          callbackId: 'announce_compose',
          metadata: { channel: CHANNEL_A },
          values: composeValues({ kind: 'free_text' }),
        })
      ).json();
      expect(step2.response_action).toBe('update');
      const fields = JSON.stringify(step2.view);
      expect(fields).toContain('arabe – 2 personnes');
      expect(fields).toContain('pachto – 1 personne');
      const values: Values = { text_ar: text('المكتب مغلق غداً.'), text_ps: text(null) };
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'announce_texts',
        metadata: metadataOf(step2),
        values,
        viewId: 'VANNOUNCE2',
      });
      await eventually(async () => received('tg-ar-1').length === 2 && received('tg-ar-2').length === 2, 15_000);
      expect(received('tg-ps-1')).toHaveLength(1);
      const announcement = await f.t.relais.db.announcement.findFirstOrThrow({ where: { template: null } });
      await eventually(
        async () =>
          JSON.stringify(lastRenderOf(f.fake, CHANNEL_A, announcement.slackTs ?? '')).includes(
            'pas de texte en pachto (1)',
          ),
        10_000,
      );
    },
  );

  it('a scheduled announcement can be cancelled from its progress message: nothing is sent', async () => {
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const preview = (
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'announce_compose',
        metadata: { channel: CHANNEL_A },
        values: composeValues({ kind: 'closure', place: placeId, date: '2026-12-24', sendAt: inAnHour }),
      })
    ).json();
    expect(JSON.stringify(preview.view)).toContain('Programmer');
    await f.slack.viewSubmission({
      userId: STAFF.coordinatorA,
      callbackId: 'announce_preview',
      metadata: metadataOf(preview),
      values: {},
      viewId: 'VANNOUNCE3',
    });
    const announcement = await eventually(async () =>
      f.t.relais.db.announcement.findFirst({ where: { template: 'closure', slackTs: { not: null } } }),
    );
    expect(announcement.status).toBe('SCHEDULED');
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'announce_cancel',
      value: announcement.id,
      channelId: CHANNEL_A,
    });
    await eventually(async () => f.fake.of('chat.postEphemeral').some((c) => c.args.user === STAFF.volunteerA));
    expect((await f.t.relais.db.announcement.findUniqueOrThrow({ where: { id: announcement.id } })).status).toBe(
      'SCHEDULED',
    );
    await f.slack.blockAction({
      userId: STAFF.coordinatorA,
      actionId: 'announce_cancel',
      value: announcement.id,
      channelId: CHANNEL_A,
    });
    await eventually(
      async () =>
        (await f.t.relais.db.announcement.findUniqueOrThrow({ where: { id: announcement.id } })).status === 'CANCELLED',
    );
    await eventually(
      async () => JSON.stringify(lastRenderOf(f.fake, CHANNEL_A, announcement.slackTs ?? '')).includes('Annulée'),
      10_000,
    );
    expect(await f.t.relais.db.message.count({ where: { announcementId: announcement.id } })).toBe(0);
  });

  it(
    'with more places than a Slack menu holds, the place menu searches as the coordinator types, within their ' +
      'association and the network',
    async () => {
      const db = f.t.relais.db;
      const many = Array.from({ length: 120 }, (_, i) => ({
        name: `Point ${String(i).padStart(3, '0')}`,
        category: 'DISTRIBUTION' as const,
        postcode: '62100',
        city: i % 2 === 0 ? 'Calais' : 'Grande-Synthe',
        associationId: f.seed.associationA,
      }));
      await db.place.createMany({ data: many });
      const elsewhere = await db.place.create({
        data: { name: 'Point B', category: 'DISTRIBUTION', city: 'Lille', associationId: f.seed.associationB },
      });
      try {
        await f.slack.command({ userId: STAFF.coordinatorA, text: 'annonce', channelId: CHANNEL_A });
        const opened = await eventually(async () => f.fake.of('views.open').at(-1));
        const blocks = (opened.args.view as { blocks: Array<{ block_id?: string; element?: { type?: string } }> })
          .blocks;
        expect(blocks.find((b) => b.block_id === 'place')?.element?.type).toBe('external_select');

        const search = async (value: string) => {
          const answer = await f.slack.blockSuggestion({
            userId: STAFF.coordinatorA,
            blockId: 'place',
            actionId: 'value',
            value,
            callbackId: 'announce_compose',
          });
          expect(answer.statusCode).toBe(200);
          return (answer.json().options as Array<{ text: { text: string }; value: string }>).map((o) => o.text.text);
        };
        // opened with nothing typed: the first 100 by name (the fixture's own places among them)
        const first = await search('');
        expect(first).toHaveLength(100);
        expect(first).toContain('Point 000 (Calais)');
        expect(first).not.toContain('Point 119 (Grande-Synthe)');
        expect(await search('point 11')).toEqual(
          Array.from({ length: 10 }, (_, i) => `Point 11${i} (${i % 2 === 0 ? 'Calais' : 'Grande-Synthe'})`),
        );
        // by town too; another association's place is never offered
        const synthe = await search('synthe');
        expect(synthe.filter((p) => p.startsWith('Point '))).toHaveLength(60);
        expect(synthe.every((p) => p.includes('Grande-Synthe'))).toBe(true);
        expect(await search('Point B')).toEqual([]);
        expect(await search('Lille')).toEqual([]);
        // a volunteer's menu stays empty
        const volunteer = await f.slack.blockSuggestion({
          userId: STAFF.volunteerA,
          blockId: 'place',
          actionId: 'value',
          value: '',
          callbackId: 'announce_compose',
        });
        expect(volunteer.json().options).toEqual([]);

        // what was picked in the searching menu is read like any select
        const chosen = await db.place.findFirstOrThrow({ where: { name: 'Point 117' } });
        const preview = (
          await f.slack.viewSubmission({
            userId: STAFF.coordinatorA,
            callbackId: 'announce_compose',
            metadata: { channel: CHANNEL_A },
            values: {
              ...composeValues({ kind: 'new_place' }),
              place: {
                value: {
                  type: 'external_select',
                  selected_option: { text: { type: 'plain_text', text: 'Point 117' }, value: chosen.id },
                },
              },
            },
          })
        ).json();
        expect(preview.response_action).toBe('update');
        expect(JSON.stringify(preview.view)).toContain('Point 117');
      } finally {
        await db.place.deleteMany({ where: { OR: [{ name: { startsWith: 'Point ' } }, { id: elsewhere.id }] } });
      }
    },
  );
});
