import type { Needs } from '../../../core/needs/needsCensus.js';
import { NEEDS_FIELDS } from '../../../core/needs/needsCensus.js';
import { input, modal, section, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const NEEDS_VIEW = 'needs_census';
export const NEEDS_MAX = 10_000;

/** The association's monthly needs, one number per line, pre-filled with the last census. */
export function needsModal(m: { associationName: string; current: Needs | null }, say: Say): ModalView {
  return modal(
    NEEDS_VIEW,
    say('slack:needs.title'),
    [
      section(say('slack:needs.intro', { association: escapeMrkdwn(m.associationName) })),
      ...NEEDS_FIELDS.map((field) =>
        input(field, say(`slack:needs.${field}`), {
          type: 'number_input',
          action_id: 'value',
          is_decimal_allowed: false,
          min_value: '0',
          max_value: String(NEEDS_MAX),
          initial_value: String(m.current?.[field] ?? 0),
        }),
      ),
    ],
    { submit: say('slack:needs.submit'), close: say('slack:modal.cancel') },
  );
}
