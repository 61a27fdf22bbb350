import type { FlowDefinition } from './engine/flowTypes.js';

/** "My data": what is kept and for how long, announcements on or off, and erasure after an explicit confirmation. */
export const privacyFlow: FlowDefinition = {
  name: 'privacy',
  start: 'start',
  steps: {
    start: {
      prompt: () => [
        { key: 'privacy:notice_full' },
        {
          key: 'privacy:what_next',
          choices: [
            { id: 'erase', labelKey: 'privacy:choice_erase' },
            { id: 'announcements', labelKey: 'announcements:choice_settings' },
            { id: 'menu', labelKey: 'common:choice_menu' },
          ],
        },
      ],
      onInput: (input) => {
        if (input.choiceId === 'erase') return { status: 'next', step: 'confirm' };
        if (input.choiceId === 'announcements') return { status: 'next', step: 'announcements' };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
    announcements: {
      prompt: () => [
        {
          key: 'announcements:settings_prompt',
          choices: [
            { id: 'on', labelKey: 'announcements:choice_on' },
            { id: 'off', labelKey: 'announcements:choice_off' },
          ],
        },
      ],
      onInput: (input) => {
        if (input.choiceId === 'on')
          return {
            status: 'done',
            commands: [{ type: 'setAnnouncements', enabled: true }],
            replies: [{ key: 'announcements:opted_in' }],
          };
        if (input.choiceId === 'off')
          return {
            status: 'done',
            commands: [{ type: 'setAnnouncements', enabled: false }],
            replies: [{ key: 'announcements:opted_out' }],
          };
        return { status: 'invalid' };
      },
    },
    confirm: {
      prompt: () => [
        {
          key: 'privacy:erase_confirm',
          choices: [
            { id: 'yes', labelKey: 'privacy:choice_erase_yes' },
            { id: 'no', labelKey: 'common:choice_no' },
          ],
        },
      ],
      onInput: (input) => {
        if (input.choiceId === 'yes') {
          // after erasure the person starts again from scratch (language choice)
          return {
            status: 'done',
            commands: [{ type: 'eraseContact' }],
            replies: [{ key: 'privacy:erased' }],
            then: { flow: 'onboarding' },
          };
        }
        if (input.choiceId === 'no') return { status: 'done', replies: [{ key: 'privacy:erase_cancelled' }] };
        return { status: 'invalid' };
      },
    },
  },
};
