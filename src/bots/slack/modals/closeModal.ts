import { CLOSE_REASONS } from '../../../core/requests/staffRequestActions.js';
import { input, modal, option, section, staticSelect, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';

export const CLOSE_VIEW = 'close_request';
export const CLOSE_BLOCK = 'reason';

/** Closing a request asks for a reason from a fixed list (no free text about a person is kept). */
export function closeModal(m: { requestId: string; reference: string; allocated: boolean }, say: Say): ModalView {
  return modal(
    CLOSE_VIEW,
    say('slack:close.title'),
    [
      section(say(m.allocated ? 'slack:close.intro_allocated' : 'slack:close.intro', { reference: m.reference })),
      input(
        CLOSE_BLOCK,
        say('slack:close.reason'),
        staticSelect(
          'reason',
          say('slack:close.reason'),
          CLOSE_REASONS.map((r) => option(say(`slack:close_reason.${r}`), r)),
        ),
      ),
    ],
    { submit: say('slack:close.submit'), close: say('slack:modal.cancel'), metadata: { requestId: m.requestId } },
  );
}
