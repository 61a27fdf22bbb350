import type { StaffRole } from '../../../core/staff/staffDirectory.js';
import { STAFF_LANGUAGES } from '../../../core/staff/staffI18n.js';
import { input, modal, option, section, staticSelect, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const TEAM_MEMBER_VIEW = 'team_member_add';
/** Block ids; each element's action id is `value`. */
export const TEAM_MEMBER_BLOCKS = { user: 'user', role: 'role', language: 'language' } as const;

/** Adding someone to a team: a Slack user picker, their role (those the coordinator may give) and staff language. */
export function teamMemberModal(
  m: { associationId: string; associationName: string; roles: StaffRole[] },
  say: Say,
): ModalView {
  const roleOptions = m.roles.map((role) => option(say(`slack:team.role.${role}`), role));
  const languageOptions = STAFF_LANGUAGES.map((lng) => option(say(`slack:team.language.${lng}`), lng));
  return modal(
    TEAM_MEMBER_VIEW,
    say('slack:team.modal_title'),
    [
      section(say('slack:team.modal_intro', { association: escapeMrkdwn(m.associationName) })),
      input(TEAM_MEMBER_BLOCKS.user, say('slack:team.who'), {
        type: 'users_select',
        action_id: 'value',
        placeholder: { type: 'plain_text', text: say('slack:team.who_placeholder') },
      }),
      input(
        TEAM_MEMBER_BLOCKS.role,
        say('slack:team.role_label'),
        staticSelect('value', say('slack:team.role_label'), roleOptions, roleOptions[0]),
      ),
      input(
        TEAM_MEMBER_BLOCKS.language,
        say('slack:team.language_label'),
        staticSelect('value', say('slack:team.language_label'), languageOptions, languageOptions[0]),
        { hint: say('slack:team.language_hint') },
      ),
    ],
    {
      submit: say('slack:team.submit'),
      close: say('slack:modal.cancel'),
      metadata: { associationId: m.associationId },
    },
  );
}
