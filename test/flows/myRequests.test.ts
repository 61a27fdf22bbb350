import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const requests = [
  {
    id: 'r1',
    reference: 'P-1042',
    kind: 'PHONE',
    status: 'ALLOCATED',
    createdAt: '2026-11-20T09:00:00Z',
    cancellable: false,
    appointment: { at: '2026-11-26T13:30:00Z', place: 'Utopia 56, 5 rue du Port' },
  },
  {
    id: 'r2',
    reference: 'R-1043',
    kind: 'RECHARGE',
    status: 'OPEN',
    createdAt: '2026-11-23T09:00:00Z',
    cancellable: true,
    appointment: null,
  },
];
const listed = (list: unknown[]) => ({ kind: 'event' as const, name: 'myRequests', data: { requests: list } });

describe('my requests', () => {
  it('opening the entry loads the requests and says where each stands in plain words (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    expect(chat.choose('myRequests')).toEqual([]);
    expect(chat.commands).toEqual([{ type: 'listMyRequests' }]);
    const texts = chat.send(listed(requests));
    expect(texts[0]).toBe(chat.t('myRequests:title'));
    expect(texts[1]).toBe(
      chat.t('myRequests:item_appointment', {
        kind: chat.t('myRequests:kind_PHONE'),
        reference: 'P-1042',
        date: 'Nov 20',
        status: chat.t('myRequests:status_ALLOCATED'),
        when: 'Thursday, November 26 at 14:30',
        place: 'Utopia 56, 5 rue du Port',
      }),
    );
    expect(texts[2]).toContain(chat.t('myRequests:status_OPEN'));
    expect(chat.lastChoices.map((c) => c.id)).toEqual(['cancel:r2', 'menu']);
    expect(chat.lastChoices[0]?.label).toBe(chat.t('myRequests:choice_cancel', { reference: 'R-1043' }));
  });

  it('cancels a request after a confirmation, in Persian (RTL)', () => {
    const chat = new FlowHarness({ language: 'fa' });
    chat.send({ kind: 'start' });
    chat.choose('myRequests');
    chat.send(listed(requests));
    expect(chat.send('۱')).toEqual([chat.t('myRequests:confirm_cancel', { reference: 'R-1043' }, 'fa')]);
    chat.send('۱');
    expect(chat.commands).toEqual([{ type: 'cancelRequest', requestId: 'r2' }]);
    const texts = chat.send({
      kind: 'event',
      name: 'requestCancelled',
      data: { result: 'cancelled', reference: 'R-1043' },
    });
    expect(texts[0]).toBe(chat.t('myRequests:cancelled', { reference: 'R-1043' }, 'fa'));
    expect(chat.messages[0]?.rtl).toBe(true);
  });

  it('says so when there is no request, and when a request can no longer be cancelled', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('myRequests');
    expect(chat.send(listed([]))[0]).toBe(chat.t('myRequests:none'));
    chat.choose('myRequests');
    chat.send(listed(requests));
    chat.choose('cancel:r2');
    chat.choose('yes');
    expect(
      chat.send({
        kind: 'event',
        name: 'requestCancelled',
        data: { result: 'not_cancellable', reference: 'R-1043' },
      })[0],
    ).toBe(chat.t('myRequests:not_cancellable', { reference: 'R-1043' }));
  });

  it('a request already being handled offers no cancel button', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('myRequests');
    const texts = chat.send(listed([requests[0]]));
    expect(texts.at(-1)).toBe(chat.t('myRequests:what_next_nothing_to_cancel'));
    expect(chat.lastChoices.map((c) => c.id)).toEqual(['menu']);
  });
});
