import { input, modal, section, textInput, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';

export const RESCHEDULE_VIEW = 'reschedule_appointment';
export const RESCHEDULE_BLOCKS = { at: 'appointment_at', place: 'appointment_place' } as const;

/** Moving a pick-up appointment: a new date and time, the place (pre-filled with the current one). */
export function rescheduleModal(
  m: { requestId: string; reference: string; at: Date | null; place: string | null },
  say: Say,
): ModalView {
  return modal(
    RESCHEDULE_VIEW,
    say('slack:followup.reschedule_title'),
    [
      section(say('slack:followup.reschedule_intro', { reference: m.reference })),
      input(RESCHEDULE_BLOCKS.at, say('slack:followup.reschedule_at'), {
        type: 'datetimepicker',
        action_id: 'at',
        ...(m.at ? { initial_date_time: Math.floor(m.at.getTime() / 1000) } : {}),
      }),
      input(
        RESCHEDULE_BLOCKS.place,
        say('slack:followup.reschedule_place'),
        textInput('place', { maxLength: 200, ...(m.place ? { initial: m.place } : {}) }),
      ),
    ],
    {
      submit: say('slack:followup.reschedule_submit'),
      close: say('slack:modal.cancel'),
      metadata: { requestId: m.requestId },
    },
  );
}
