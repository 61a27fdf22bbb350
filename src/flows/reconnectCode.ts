import { parseCode } from '../core/conversation/reconnectCodeFormat.js';
import type { FlowDefinition, ReplyParam, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { MENU_CHOICE, text, YES_NO } from './commonChoices.js';

function languageParam(language: string | undefined, languages: readonly string[]): ReplyParam {
  return language && languages.includes(language) ? { t: `languages:${language}` } : { t: 'code:language_unknown' };
}

/**
 * "My code": shows the person's personal reconnection code (a new one each time, shown once),
 * or, from a new phone or app, takes a code, asks "is this you?" with only a minimal hint
 * (number of open requests, language) and links this account to that person, who then
 * continues with their requests and follow-ups. Wrong codes count towards a lockout.
 */
export const reconnectCodeFlow: FlowDefinition = {
  name: 'code',
  start: 'start',
  steps: {
    start: {
      prompt: () => [
        {
          key: 'code:intro',
          choices: [
            { id: 'show', labelKey: 'code:choice_show' },
            { id: 'have', labelKey: 'code:choice_have' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input, ctx): StepOutcome => {
        if (input.choiceId === 'show') {
          const id = ctx.commandId('issuePersonalCode');
          return {
            status: 'done',
            commands: [{ type: 'issuePersonalCode', id }],
            replies: [
              { key: 'code:your_code', params: { code: { fromCommand: id, field: 'code' } }, sensitive: true },
              { key: 'code:keep_it', params: { days: { fromCommand: id, field: 'days' } } },
            ],
          };
        }
        if (input.choiceId === 'have') return { status: 'next', step: 'enter' };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
    enter: {
      // the typed code is stored only as "a code was entered", and the state keeps only its hash
      secretInput: true,
      prompt: () => [{ key: 'code:type_it' }],
      onInput: (input): StepOutcome => {
        const checked = readEvent(input, 'codeChecked');
        if (checked) {
          switch (checked.result) {
            case 'ok':
              return {
                status: 'next',
                step: 'confirm',
                data: {
                  targetId: checked.contactId,
                  codeHash: checked.codeHash,
                  openRequests: checked.openRequests,
                  targetLanguage: checked.language,
                },
              };
            case 'invalid':
              return {
                status: 'stay',
                reprompt: true,
                replies: [{ key: 'code:wrong', params: { attemptsLeft: checked.attemptsLeft } }],
              };
            case 'locked':
              return { status: 'done', replies: [{ key: 'code:locked' }] };
            case 'paused':
              return { status: 'done', replies: [{ key: 'code:paused' }] };
            case 'self':
              return { status: 'done', replies: [{ key: 'code:already_you' }] };
          }
        }
        const code = input.text ? parseCode(input.text) : null;
        if (!code) return { status: 'invalid', hintKey: 'code:bad_format' };
        return { status: 'wait', commands: [{ type: 'checkReconnectCode', code }] };
      },
    },
    confirm: {
      noBack: true,
      prompt: (ctx, data) => [
        {
          key: 'code:is_it_you',
          params: {
            count: typeof data.openRequests === 'number' ? data.openRequests : 0,
            language: languageParam(text(data, 'targetLanguage'), ctx.settings.languages),
          },
          choices: YES_NO,
        },
      ],
      onInput: (input, _ctx, data): StepOutcome => {
        const linked = readEvent(input, 'identityLinked');
        if (linked) return { status: 'done', replies: [{ key: linked.linked ? 'code:linked' : 'code:link_failed' }] };
        if (input.choiceId === 'no') return { status: 'done', replies: [{ key: 'code:not_linked' }] };
        const codeHash = text(data, 'codeHash');
        const contactId = text(data, 'targetId');
        if (input.choiceId !== 'yes' || !codeHash || !contactId) return { status: 'invalid' };
        return { status: 'wait', commands: [{ type: 'linkIdentity', contactId, codeHash }] };
      },
    },
  },
};
