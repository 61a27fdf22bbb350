import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlaces } from '../../../src/core/places/placeSearch.js';
import { geocodePostcode } from '../../../src/core/places/postcodeGeocoder.js';
import { eventually } from '../../support/testRelais.js';
import { STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
const ids = { utopia: '', network: '', auberge: '' };

beforeAll(async () => {
  f = await startSlackFixture('slack_places');
  const db = f.t.relais.db;
  const dropOff = {
    category: 'DROP_OFF' as const,
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9513,
    longitude: 1.8587,
    hours: [{ day: 3, open: '14:00', close: '17:00' }],
  };
  ids.utopia = (
    await db.place.create({
      data: {
        ...dropOff,
        name: 'Point Utopia',
        address: '12 rue des Prés',
        acceptedItems: ['smartphone', 'charger'],
        associationId: f.seed.associationA,
      },
    })
  ).id;
  ids.network = (
    await db.place.create({
      data: {
        ...dropOff,
        name: 'Point du réseau',
        address: 'Place d’Armes',
        acceptedItems: ['laptop'],
        associationId: null,
      },
    })
  ).id;
  ids.auberge = (
    await db.place.create({
      data: {
        ...dropOff,
        name: 'Point Auberge',
        address: 'Rue Mollien',
        acceptedItems: ['tablet'],
        associationId: f.seed.associationB,
      },
    })
  ).id;
});
afterAll(async () => {
  await f?.close();
});

interface Form {
  name?: string;
  address?: string;
  postcode?: string;
  city?: string | null;
  latitude?: string | null;
  longitude?: string | null;
  hours?: string | null;
  items?: string[];
  active?: boolean;
}

/** `view.state.values` of the drop-off point modal as Slack sends it (empty optional inputs are null). */
function placeValues(o: Form = {}) {
  const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
  return {
    name: text(o.name ?? 'Point de collecte — Calais gare'),
    address: text(o.address ?? 'Boulevard Jacquard'),
    postcode: text(o.postcode ?? '62100'),
    city: text(o.city === undefined ? 'Calais' : o.city),
    latitude: text(o.latitude ?? null),
    longitude: text(o.longitude ?? null),
    hours: text(o.hours === undefined ? 'lun-ven 14:00-17:00\nsam 10h-12h' : o.hours),
    items: {
      items: {
        type: 'checkboxes',
        selected_options: (o.items ?? ['smartphone', 'laptop']).map((value) => ({ value })),
      },
    },
    active: { active: { type: 'checkboxes', selected_options: o.active === false ? [] : [{ value: 'active' }] } },
  };
}

const submit = (
  userId: string,
  values: ReturnType<typeof placeValues>,
  options: { placeId?: string; viewId?: string } = {},
) =>
  f.slack.viewSubmission({
    userId,
    callbackId: 'drop_off_point',
    metadata: options.placeId ? { placeId: options.placeId } : {},
    values,
    ...(options.viewId ? { viewId: options.viewId } : {}),
  });

const dropOffCount = () => f.t.relais.db.place.count({ where: { category: 'DROP_OFF' } });
const nearestForSmartphones = () =>
  f.t.relais.db.$transaction((tx) =>
    findPlaces(tx, {
      category: 'DROP_OFF',
      accepts: 'smartphone',
      near: { latitude: 50.95, longitude: 1.86 },
      limit: 10,
    }),
  );

describe('/relais places', () => {
  it(
    'a volunteer sees their association’s places, then the network’s and the other associations’ (marked), each ' +
      'with its category, without buttons',
    async () => {
      const answer = (await f.slack.command({ userId: STAFF.volunteerA, text: 'lieux' })).json();
      expect(answer.response_type).toBe('ephemeral');
      const text = String(answer.text);
      expect(text).toContain('Lieux de Utopia 56 Calais et du réseau');
      expect(text).toContain('*Point Utopia* · 📦 point de dépôt · 🟢 actif');
      expect(text).toContain('12 rue des Prés, 62100 Calais');
      expect(text).toContain('Accepte : smartphone, charger');
      expect(text).toContain('Horaires : mer 14:00-17:00');
      expect(text).toContain('*Point du réseau* · 📦 point de dépôt');
      expect(text).toContain('🌍 tout le réseau');
      // the other associations' points are listed too, marked as theirs
      expect(text).toContain('*Point Auberge* · 📦 point de dépôt · 🟢 actif');
      expect(text).toContain('🤝 Auberge des migrants (autre association)');
      // the association's own premises, with their category
      expect(text).toContain('*Local Utopia* · 🏠 local associatif');
      expect(text).not.toContain('Aucun lieu');
      const order = ['Local Utopia', 'Point Utopia', 'Point du réseau', 'Point Auberge'].map((name) =>
        text.indexOf(`*${name}*`),
      );
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const blocks = JSON.stringify(answer.blocks);
      expect(blocks).not.toContain('places.edit');
      expect(blocks).not.toContain('places.add');
    },
  );

  it('a coordinator gets "Add a drop-off point" and "Edit" on their association’s points only', async () => {
    const answer = (await f.slack.command({ userId: STAFF.coordinatorA, text: 'places' })).json();
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('"action_id":"places.add"');
    expect(blocks).toContain(
      `"action_id":"places.edit","text":{"type":"plain_text","text":"Modifier","emoji":true},"value":"${ids.utopia}"`,
    );
    expect(blocks).not.toContain(ids.network);
    expect(blocks.split('places.edit').length - 1).toBe(1);
    const help = String((await f.slack.command({ userId: STAFF.volunteerB, text: 'help' })).json().text);
    expect(help).toContain('/relais places');
  });
});

describe('drop-off point modal', () => {
  it(
    'a coordinator adds a point: the modal opens, the ' + 'point is saved at its postcode’s centre, audited, once',
    async () => {
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'places.add',
        value: 'new',
        channelId: 'C_ANY',
        triggerId: 'TRIGPLACEADD',
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => c.args.trigger_id === 'TRIGPLACEADD'),
      );
      const view = JSON.stringify(opened.args.view);
      expect(view).toContain('"callback_id":"drop_off_point"');
      expect(view).toContain('Utopia 56 Calais');
      expect(view).toContain('ordinateur portable');

      const before = await dropOffCount();
      const values = placeValues();
      expect((await submit(STAFF.coordinatorA, values, { viewId: 'VPLACEADD01' })).body).toBe('');
      // Slack may deliver the same submission twice
      expect((await submit(STAFF.coordinatorA, values, { viewId: 'VPLACEADD01' })).body).toBe('');
      expect(await dropOffCount()).toBe(before + 1);

      const place = await f.t.relais.db.place.findFirstOrThrow({ where: { name: 'Point de collecte — Calais gare' } });
      const centre = geocodePostcode('62100');
      expect(centre).toBeDefined();
      expect(place).toMatchObject({
        category: 'DROP_OFF',
        associationId: f.seed.associationA,
        address: 'Boulevard Jacquard',
        postcode: '62100',
        city: 'Calais',
        latitude: centre?.latitude,
        longitude: centre?.longitude,
        acceptedItems: ['smartphone', 'laptop'],
        active: true,
      });
      expect(place.hours).toEqual(
        [1, 2, 3, 4, 5]
          .map((day) => ({ day, open: '14:00', close: '17:00' }))
          .concat([{ day: 6, open: '10:00', close: '12:00' }]),
      );
      const audit = await f.t.relais.db.auditEvent.findMany({ where: { entityId: place.id } });
      expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.associationId])).toEqual([
        ['place.created', 'STAFF', f.seed.staff.coordinatorA, f.seed.associationA],
      ]);
      await eventually(async () =>
        f.fake
          .of('chat.postMessage')
          .find(
            (c) =>
              c.args.channel === STAFF.coordinatorA && String(c.args.text).includes('Point de collecte — Calais gare'),
          ),
      );
      expect((await nearestForSmartphones()).map((p) => p.id)).toContain(place.id);
    },
  );

  it(
    'typed coordinates win over the postcode; an unknown ' +
      'postcode without coordinates is refused under the postcode',
    async () => {
      expect(
        (
          await submit(
            STAFF.coordinatorA,
            placeValues({ name: 'Point précis', latitude: '50,9581', longitude: '1.8512' }),
          )
        ).body,
      ).toBe('');
      expect(await f.t.relais.db.place.findFirstOrThrow({ where: { name: 'Point précis' } })).toMatchObject({
        latitude: 50.9581,
        longitude: 1.8512,
      });

      const before = await dropOffCount();
      const unknown = (
        await submit(STAFF.coordinatorA, placeValues({ name: 'Point inconnu', postcode: '00000' }))
      ).json();
      expect(unknown).toMatchObject({
        response_action: 'errors',
        errors: { postcode: expect.stringContaining('ne connaît pas ce code postal') },
      });
      const half = (await submit(STAFF.coordinatorA, placeValues({ name: 'Point inconnu', latitude: '50.95' }))).json();
      expect(half).toMatchObject({
        response_action: 'errors',
        errors: { longitude: expect.stringContaining('latitude et la longitude') },
      });
      expect(await dropOffCount()).toBe(before);
    },
  );

  it(
    'hours that cannot be read keep the modal open with ' + 'the problem under the hours field, and nothing is saved',
    async () => {
      const before = await dropOffCount();
      const auditBefore = await f.t.relais.db.auditEvent.count({ where: { entityType: 'Place' } });
      const reversed = (
        await submit(
          STAFF.coordinatorA,
          placeValues({ name: 'Point mal réglé', hours: 'lun 09:00-12:00\nmar 18:00-09:00' }),
        )
      ).json();
      expect(reversed).toEqual({
        response_action: 'errors',
        errors: { hours: expect.stringContaining('Ligne 2 : l’heure de fermeture doit suivre') },
      });
      const badDay = (
        await submit(
          STAFF.coordinatorA,
          placeValues({ name: 'Point mal réglé', hours: 'tous les jours 9h-12h', items: [] }),
        )
      ).json();
      expect(badDay).toMatchObject({
        response_action: 'errors',
        errors: {
          hours: expect.stringContaining('« tous » n’est pas un jour'),
          items: expect.stringContaining('Cochez'),
        },
      });
      expect(await dropOffCount()).toBe(before);
      expect(await f.t.relais.db.auditEvent.count({ where: { entityType: 'Place' } })).toBe(auditBefore);
    },
  );

  it(
    'a volunteer cannot add or edit a point, not even with a forged submission; a coordinator cannot edit another ' +
      'association’s point',
    async () => {
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'places.add',
        value: 'new',
        channelId: 'C_ANY',
        triggerId: 'TRIGPLACEVOL',
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('coordinateur')),
      );
      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'places.edit',
        value: ids.utopia,
        channelId: 'C_ANY',
        triggerId: 'TRIGPLACEVOL2',
      });
      await eventually(
        async () =>
          f.fake
            .of('chat.postEphemeral')
            .filter((c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('coordinateur')).length >=
          2,
      );
      expect(f.fake.of('views.open').filter((c) => String(c.args.trigger_id).startsWith('TRIGPLACEVOL'))).toEqual([]);

      const before = await dropOffCount();
      const auditBefore = await f.t.relais.db.auditEvent.count({ where: { entityType: 'Place' } });
      const forged = (await submit(STAFF.volunteerA, placeValues({ name: 'Point forgé' }))).json();
      expect(forged).toMatchObject({
        response_action: 'errors',
        errors: { name: expect.stringContaining('coordinateur') },
      });
      const forgedEdit = (
        await submit(STAFF.volunteerA, placeValues({ name: 'Point Utopia', active: false }), { placeId: ids.utopia })
      ).json();
      expect(forgedEdit).toMatchObject({ response_action: 'errors' });
      const otherAssociation = (
        await submit(STAFF.coordinatorA, placeValues({ name: 'Point Auberge', active: false }), {
          placeId: ids.auberge,
        })
      ).json();
      expect(otherAssociation).toMatchObject({
        response_action: 'errors',
        errors: { name: expect.stringContaining('🔒') },
      });
      const networkWide = (
        await submit(STAFF.coordinatorA, placeValues({ name: 'Point du réseau', active: false }), {
          placeId: ids.network,
        })
      ).json();
      expect(networkWide).toMatchObject({ response_action: 'errors' });

      expect(await dropOffCount()).toBe(before);
      expect(
        await f.t.relais.db.place.count({
          where: { id: { in: [ids.utopia, ids.auberge, ids.network] }, active: true },
        }),
      ).toBe(3);
      expect(await f.t.relais.db.auditEvent.count({ where: { entityType: 'Place' } })).toBe(auditBefore);
    },
  );

  it(
    'a coordinator edits a point and unticks "active": it ' + 'no longer comes out of the donors’ nearest-point search',
    async () => {
      expect((await nearestForSmartphones()).map((p) => p.id)).toContain(ids.utopia);
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'places.edit',
        value: ids.utopia,
        channelId: 'C_ANY',
        triggerId: 'TRIGPLACEEDIT',
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => c.args.trigger_id === 'TRIGPLACEEDIT'),
      );
      const view = JSON.stringify(opened.args.view);
      expect(view).toContain('"initial_value":"Point Utopia"');
      expect(view).toContain('"initial_value":"mer 14:00-17:00"');
      expect(view).toContain('charger');
      expect(view).toContain(`\\"placeId\\":\\"${ids.utopia}\\"`);

      const values = placeValues({
        name: 'Point Utopia',
        address: '12 rue des Prés',
        latitude: '50.9513',
        longitude: '1.8587',
        hours: 'mer 14:00-17:00',
        items: ['smartphone'],
        active: false,
      });
      expect((await submit(STAFF.coordinatorA, values, { placeId: ids.utopia, viewId: 'VPLACEEDIT1' })).body).toBe('');
      const place = await f.t.relais.db.place.findUniqueOrThrow({ where: { id: ids.utopia } });
      expect(place.active).toBe(false);
      // what the admin API set outside the modal's vocabulary is kept
      expect(place.acceptedItems).toEqual(['smartphone', 'charger']);
      const audit = await f.t.relais.db.auditEvent.findFirstOrThrow({
        where: { entityId: ids.utopia, action: 'place.updated' },
      });
      expect(audit).toMatchObject({
        actorType: 'STAFF',
        actorId: f.seed.staff.coordinatorA,
        data: { fields: ['active'], category: 'DROP_OFF', active: false },
      });

      expect((await nearestForSmartphones()).map((p) => p.id)).not.toContain(ids.utopia);
      const byPostcode = await f.t.relais.db.$transaction((tx) =>
        findPlaces(tx, { category: 'DROP_OFF', accepts: 'smartphone', postcode: '62100', limit: 10 }),
      );
      expect(byPostcode.map((p) => p.id)).not.toContain(ids.utopia);
      // still listed for staff, as inactive
      expect(String((await f.slack.command({ userId: STAFF.volunteerA, text: 'places' })).json().text)).toContain(
        '*Point Utopia* · 📦 point de dépôt · ⚪ inactif',
      );
    },
  );
});
