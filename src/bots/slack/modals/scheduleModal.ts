import { input, modal, section, textInput, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';

export const SCHEDULE_VIEW = 'schedule_pledge';
export const SCHEDULE_BLOCKS = { at: 'pickup_at', refurbisher: 'refurbisher' } as const;
export const REFURBISHER_MAX = 120;

/** Scheduling a pickup: when, and which refurbisher collects (pre-filled when rescheduling). */
export function scheduleModal(
  m: { pledgeId: string; reference: string; scheduledAt: Date | null; refurbisher: string | null },
  say: Say,
): ModalView {
  return modal(
    SCHEDULE_VIEW,
    say('slack:schedule.title'),
    [
      section(say('slack:schedule.intro', { reference: m.reference })),
      input(SCHEDULE_BLOCKS.at, say('slack:schedule.at'), {
        type: 'datetimepicker',
        action_id: 'at',
        ...(m.scheduledAt ? { initial_date_time: Math.floor(m.scheduledAt.getTime() / 1000) } : {}),
      }),
      input(
        SCHEDULE_BLOCKS.refurbisher,
        say('slack:schedule.refurbisher'),
        textInput('refurbisher', {
          maxLength: REFURBISHER_MAX,
          ...(m.refurbisher ? { initial: m.refurbisher } : {}),
          placeholder: say('slack:schedule.refurbisher_hint'),
        }),
      ),
    ],
    { submit: say('slack:schedule.submit'), close: say('slack:modal.cancel'), metadata: { pledgeId: m.pledgeId } },
  );
}
