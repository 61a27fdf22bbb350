import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

describe('check-in after a phone was handed over', () => {
  it('"it works" records the answer and thanks the person (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    const texts = chat.open('checkIn', { followUpId: 'f-1', requestId: 'r-1', reference: 'P-1042' });
    expect(texts).toEqual([chat.t('checkIn:question', { reference: 'P-1042' })]);
    expect(chat.lastChoices.map((c) => c.id)).toEqual(['works', 'problem', 'lost']);
    expect(chat.send('1')[0]).toBe(chat.t('checkIn:glad'));
    expect(chat.commands).toEqual([{ type: 'answerFollowUp', followUpId: 'f-1', answer: 'works' }]);
  });

  it('"I lost it" records the answer, gives advice and offers a new phone request, in Arabic (RTL)', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.open('checkIn', { followUpId: 'f-2', requestId: 'r-1', reference: 'P-1042' });
    const texts = chat.send('٣');
    expect(chat.commands).toEqual([{ type: 'answerFollowUp', followUpId: 'f-2', answer: 'lost' }]);
    expect(texts[0]).toBe(chat.t('checkIn:lost_advice', {}, 'ar'));
    expect(chat.messages[0]?.rtl).toBe(true);
    chat.send('١');
    expect(chat.commands).toEqual([{ type: 'listMyRequests' }]);
    expect(chat.send({ kind: 'event', name: 'myRequests', data: { requests: [] } })).toEqual([
      chat.t('phone:for_whom', {}, 'ar'),
    ]);
  });

  it('"a problem" records the answer and leads to a volunteer with the check-in as origin', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.open('checkIn', { followUpId: 'f-3', requestId: 'r-1', reference: 'P-1042' });
    chat.choose('problem');
    expect(chat.commands).toEqual([{ type: 'answerFollowUp', followUpId: 'f-3', answer: 'problem' }]);
    chat.choose('volunteer');
    chat.send('The screen is broken');
    expect(chat.commands).toEqual([
      {
        type: 'createRequest',
        id: 'cmd-createRequest',
        kind: 'CONTACT',
        details: { origin: 'checkin' },
        attachMessage: true,
      },
    ]);
  });
});

describe('appointment reminder', () => {
  it('says when and where in the person\'s language and records "I will come" (Persian, RTL)', () => {
    const chat = new FlowHarness({ language: 'fa' });
    chat.send({ kind: 'start' });
    const texts = chat.open('appointmentReminder', {
      followUpId: 'f-9',
      requestId: 'r-1',
      reference: 'P-1042',
      appointmentAt: '2026-11-26T13:30:00Z',
      place: 'Utopia 56',
    });
    expect(texts[0]).toContain('۱۴:۳۰');
    expect(texts[0]).toContain('پنجشنبه');
    expect(texts[0]).toContain('Utopia 56');
    chat.send('۱');
    expect(chat.commands).toEqual([{ type: 'answerFollowUp', followUpId: 'f-9', answer: 'coming' }]);
  });

  it('"I cannot come" records it and opens the chat of that request for the new time (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.open('appointmentReminder', {
      followUpId: 'f-9',
      requestId: 'r-1',
      reference: 'P-1042',
      appointmentAt: '2026-11-26T13:30:00Z',
      place: '',
    });
    expect(chat.texts[0]).toBe(
      chat.t('appointmentReminder:reminder_no_place', { reference: 'P-1042', when: 'Thursday, November 26 at 14:30' }),
    );
    const texts = chat.choose('cannot_come');
    expect(chat.commands).toEqual([{ type: 'answerFollowUp', followUpId: 'f-9', answer: 'cannot_come' }]);
    expect(texts).toEqual([chat.t('appointmentReminder:tell_volunteer'), chat.t('volunteer:chat')]);
    chat.send('Friday is fine');
    expect(chat.commands).toEqual([{ type: 'attachToRequest', requestId: 'r-1' }]);
  });
});
