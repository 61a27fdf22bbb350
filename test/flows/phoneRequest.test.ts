import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const noRequests = { kind: 'event' as const, name: 'myRequests', data: { requests: [] } };
const associations = [
  { id: '11111111-1111-4111-8111-111111111111', name: 'Utopia 56' },
  { id: '22222222-2222-4222-8222-222222222222', name: 'Secours Catholique' },
];
const created = (reference: string, existing = false) => ({
  kind: 'event' as const,
  name: 'requestCreated',
  data: { requestId: 'r-1', reference, kind: 'PHONE', flaggedReason: null, existing },
});

describe('request a phone', () => {
  it(
    'walks from the menu to a PHONE request with every ' +
      'answer, then gives the reference and the next step (English)',
    () => {
      const chat = new FlowHarness({ language: 'en', reference: { associations } });
      chat.send({ kind: 'start' });
      chat.choose('phone');
      expect(chat.send(noRequests)).toEqual([chat.t('phone:for_whom')]);
      chat.choose('family');
      chat.choose('stolen');
      chat.choose('high');
      expect(chat.lastChoices.map((c) => c.id)).toEqual([
        `assoc:${associations[0]!.id}`,
        `assoc:${associations[1]!.id}`,
        'none',
      ]);
      expect(chat.lastChoices.map((c) => c.label)).toEqual([
        'Utopia 56',
        'Secours Catholique',
        chat.t('phone:association_none'),
      ]);
      chat.send('1');
      const summary = chat.send('Near the station of Calais').at(-1) ?? '';
      expect(summary).toContain(chat.t('phone:for_family'));
      expect(summary).toContain(chat.t('phone:situation_stolen'));
      expect(summary).toContain(chat.t('phone:urgency_high'));
      expect(summary).toContain('Utopia 56');
      expect(summary).toContain('Near the station of Calais');
      chat.choose('send');
      expect(chat.commands).toEqual([
        {
          type: 'createRequest',
          id: 'cmd-createRequest',
          kind: 'PHONE',
          urgency: 'HIGH',
          associationId: associations[0]!.id,
          details: { forWhom: 'family', situation: 'stolen', stay: { text: 'Near the station of Calais' } },
        },
      ]);
      const texts = chat.send(created('P-1042'));
      expect(texts[0]).toBe(chat.t('phone:created', { reference: 'P-1042' }));
      expect(texts[1]).toBe(chat.t('phone:next_step_association', { association: 'Utopia 56' }));
      expect(chat.state?.flow).toBe('menu');
    },
  );

  it('works with Arabic-Indic digits and a shared location, without association, in Arabic (RTL)', () => {
    const chat = new FlowHarness({ language: 'ar', reference: { associations } });
    chat.send({ kind: 'start' });
    chat.send('١'); // phone
    chat.send(noRequests);
    chat.send('١'); // for me
    chat.send('٢'); // lost
    chat.send('٣'); // can wait
    expect(chat.send('٣').at(-1)).toBe(chat.t('phone:stay', {}, 'ar')); // none
    const summary = chat.send({ kind: 'location', latitude: 50.9513, longitude: 1.8587 }).at(-1) ?? '';
    expect(summary).toContain(chat.t('phone:stay_location', {}, 'ar'));
    expect(summary).toContain(chat.t('phone:association_none', {}, 'ar'));
    expect(summary).toContain(chat.t('phone:situation_lost', {}, 'ar'));
    chat.send('١');
    expect(chat.commands).toEqual([
      {
        type: 'createRequest',
        id: 'cmd-createRequest',
        kind: 'PHONE',
        urgency: 'LOW',
        associationId: null,
        details: { forWhom: 'self', situation: 'lost', stay: { latitude: 50.9513, longitude: 1.8587 } },
      },
    ]);
    const texts = chat.send(created('P-1043'));
    expect(texts.slice(0, 2)).toEqual([
      chat.t('phone:created', { reference: 'P-1043' }, 'ar'),
      chat.t('phone:next_step_triage', {}, 'ar'),
    ]);
  });

  it('skips the association question when no association is known, and "skip" leaves the place out', () => {
    const chat = new FlowHarness({ language: 'fa' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'never');
    expect(chat.choose('normal').at(-1)).toBe(chat.t('phone:stay', {}, 'fa'));
    const summary = chat.choose('skip').at(-1) ?? '';
    expect(summary).toContain(chat.t('phone:stay_none', {}, 'fa'));
    chat.choose('send');
    expect(chat.commands[0]).toMatchObject({
      type: 'createRequest',
      urgency: 'NORMAL',
      associationId: null,
      details: { forWhom: 'self', situation: 'never' },
    });
  });

  it('shows what the person typed as is, never as a translation key', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'broken', 'high');
    const summary = chat.send('$t(common:help) {{reference}}').at(-1) ?? '';
    expect(summary).toContain('$t(common:help) {{reference}}');
  });

  it('cancelling sends nothing; starting again asks the first question again', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'broken', 'high', 'skip');
    expect(chat.choose('restart')).toEqual([chat.t('phone:for_whom')]);
    chat.walk('self', 'broken', 'high', 'skip');
    const texts = chat.choose('cancel');
    expect(chat.commands).toEqual([]);
    expect(texts[0]).toBe(chat.t('phone:cancelled'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('a person who already has an open phone request is told its reference instead of a new one', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'lost', 'high', 'skip', 'send');
    expect(chat.send(created('P-1001', true))[0]).toBe(chat.t('phone:already_open', { reference: 'P-1001' }));
  });

  it('an open phone request is said at the first step, with its status, in Tigrinya', () => {
    const chat = new FlowHarness({ language: 'ti' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    const open = {
      id: 'r-9',
      reference: 'P-1001',
      kind: 'PHONE',
      status: 'CLAIMED',
      createdAt: '2026-11-20T10:00:00Z',
      cancellable: true,
      appointment: null,
    };
    const texts = chat.send({
      kind: 'event',
      name: 'myRequests',
      data: { requests: [{ ...open, id: 'r-8', reference: 'R-1000', kind: 'RECHARGE', status: 'OPEN' }, open] },
    });
    expect(texts).toEqual([
      chat.t('phone:already_open_start', { reference: 'P-1001', status: chat.t('myRequests:status_CLAIMED') }),
    ]);
    expect(chat.lastChoices.map((c) => c.id)).toEqual(['family', 'myRequests', 'menu']);
    expect(chat.commands).toEqual([]);
    expect(chat.choose('myRequests')).toEqual([]);
    expect(chat.commands).toEqual([{ type: 'listMyRequests' }]);
  });

  it('"it is for someone in my family" goes on with the questions and asks for a request of its own', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    const open = {
      id: 'r-9',
      reference: 'P-1001',
      kind: 'PHONE',
      status: 'OPEN',
      createdAt: '2026-11-20T10:00:00Z',
      cancellable: true,
      appointment: null,
    };
    chat.send({ kind: 'event', name: 'myRequests', data: { requests: [open] } });
    expect(chat.choose('family')).toEqual([chat.t('phone:situation')]);
    chat.walk('stolen', 'high', 'skip', 'send');
    expect(chat.commands).toEqual([
      {
        type: 'createRequest',
        id: 'cmd-createRequest',
        kind: 'PHONE',
        urgency: 'HIGH',
        associationId: null,
        details: { forWhom: 'family', situation: 'stolen' },
      },
    ]);
    expect(chat.send(created('P-1002'))[0]).toBe(chat.t('phone:created', { reference: 'P-1002' }));
  });

  it('finished and cancelled phone requests do not stop a new one', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    const old = {
      id: 'r-9',
      reference: 'P-1001',
      kind: 'PHONE',
      status: 'SERVED',
      createdAt: '2026-11-20T10:00:00Z',
      cancellable: false,
      appointment: null,
    };
    expect(
      chat.send({ kind: 'event', name: 'myRequests', data: { requests: [old, { ...old, status: 'CANCELLED' }] } }),
    ).toEqual([chat.t('phone:for_whom')]);
  });

  it('an association beyond the buttons is found by its typed name', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      name: `Association ${i}`,
    }));
    const chat = new FlowHarness({ language: 'en', reference: { associations: many } });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'lost', 'high');
    expect(chat.lastChoices).toHaveLength(21);
    chat.send('association 24');
    chat.walk('skip', 'send');
    expect(chat.commands[0]).toMatchObject({ associationId: many[24]!.id });
  });

  it('an answer that is not one of the choices repeats the question kindly', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    expect(chat.send('banana')).toEqual([chat.t('common:invalid'), chat.t('phone:for_whom')]);
  });
});
