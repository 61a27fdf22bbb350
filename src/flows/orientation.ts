import { PLACE_CATEGORIES } from '../core/commands/commandTypes.js';
import type { FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { MENU_CHOICE, pick, text } from './commonChoices.js';
import { placeReply } from './placeFormatting.js';

const SHOWN = 5;

/**
 * "Where and when?": a category of places (associations, distributions, charging points,
 * relay points, drop-off points), then the nearest ones if the person shares a location (or
 * types a postcode), or the list; each with its opening hours in the person's language.
 */
export const orientationFlow: FlowDefinition = {
  name: 'orientation',
  start: 'category',
  steps: {
    category: {
      prompt: () => [
        {
          key: 'orientation:category',
          choices: PLACE_CATEGORIES.map((c) => ({ id: c, labelKey: `orientation:category_${c}` })),
        },
      ],
      onInput: (input): StepOutcome => {
        const category = pick(input.choiceId, PLACE_CATEGORIES);
        return category ? { status: 'next', step: 'where', data: { category } } : { status: 'invalid' };
      },
    },
    where: {
      acceptsLocation: true,
      prompt: () => [
        { key: 'orientation:where', askLocation: true, choices: [{ id: 'list', labelKey: 'orientation:choice_list' }] },
      ],
      onInput: (input, ctx, data): StepOutcome => {
        const found = readEvent(input, 'places');
        if (found) {
          if (found.places.length === 0)
            return { status: 'next', step: 'results', replies: [{ key: 'orientation:none' }] };
          return { status: 'next', step: 'results', replies: found.places.map((p) => placeReply(p, ctx)) };
        }
        const category = pick(text(data, 'category'), PLACE_CATEGORIES) ?? null;
        const { content } = input;
        if (content.kind === 'location') {
          return {
            status: 'wait',
            commands: [
              {
                type: 'findPlaces',
                category,
                near: { latitude: content.latitude, longitude: content.longitude },
                limit: SHOWN,
              },
            ],
          };
        }
        if (input.choiceId === 'list')
          return { status: 'wait', commands: [{ type: 'findPlaces', category, limit: SHOWN }] };
        const postcode = /^\d{5}$/.exec(input.text?.replace(/\s/g, '') ?? '')?.[0];
        if (postcode) return { status: 'wait', commands: [{ type: 'findPlaces', category, postcode, limit: SHOWN }] };
        return { status: 'invalid', hintKey: 'orientation:where_invalid' };
      },
    },
    results: {
      prompt: () => [
        {
          key: 'orientation:what_next',
          choices: [{ id: 'another', labelKey: 'orientation:choice_another' }, MENU_CHOICE],
        },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'another') return { status: 'next', step: 'category' };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
  },
};
