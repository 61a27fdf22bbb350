import type { types } from '@slack/bolt';
import type { AssociationEntry } from '../../../core/staff/associationDirectory.js';
import { input, modal, option, textInput, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';

export const ASSOCIATION_VIEW = 'association_form';
/** Block ids; each element's action id is `value`. */
export const ASSOCIATION_BLOCKS = {
  name: 'name',
  channel: 'channel',
  city: 'city',
  department: 'department',
  active: 'active',
} as const;
export const ACTIVE_OPTION = 'active';

/**
 * Creating or editing an association (admins): name, the Slack channel its requests are
 * posted in (channel picker), town, département and whether it is active.
 */
export function associationModal(association: AssociationEntry | null, say: Say): ModalView {
  const activeOption = option(say('slack:associations.active_option'), ACTIVE_OPTION);
  const channel: types.ConversationsSelect = {
    type: 'conversations_select',
    action_id: 'value',
    placeholder: { type: 'plain_text', text: say('slack:associations.channel_placeholder') },
    filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
    ...(association?.slackChannelId ? { initial_conversation: association.slackChannelId } : {}),
  };
  const active: types.Checkboxes = {
    type: 'checkboxes',
    action_id: 'value',
    options: [activeOption],
    ...(!association || association.active ? { initial_options: [activeOption] } : {}),
  };
  return modal(
    ASSOCIATION_VIEW,
    say(association ? 'slack:associations.title_edit' : 'slack:associations.title_new'),
    [
      input(
        ASSOCIATION_BLOCKS.name,
        say('slack:associations.name'),
        textInput('value', { maxLength: 120, ...(association ? { initial: association.name } : {}) }),
      ),
      input(ASSOCIATION_BLOCKS.channel, say('slack:associations.channel'), channel, {
        optional: true,
        hint: say('slack:associations.channel_hint'),
      }),
      input(
        ASSOCIATION_BLOCKS.city,
        say('slack:associations.city'),
        textInput('value', { maxLength: 80, ...(association?.city ? { initial: association.city } : {}) }),
        { optional: true },
      ),
      input(
        ASSOCIATION_BLOCKS.department,
        say('slack:associations.department'),
        textInput('value', {
          maxLength: 3,
          placeholder: '62',
          ...(association?.department ? { initial: association.department } : {}),
        }),
        { optional: true },
      ),
      input(ASSOCIATION_BLOCKS.active, say('slack:associations.status'), active, { optional: true }),
    ],
    {
      submit: say('slack:associations.submit'),
      close: say('slack:modal.cancel'),
      metadata: association ? { associationId: association.id } : {},
    },
  );
}
