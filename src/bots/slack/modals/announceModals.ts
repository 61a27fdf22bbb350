import type { types } from '@slack/bolt';
import { AUDIENCE_CHANNELS } from '../../../core/announcements/announcementAudience.js';
import {
  FREE_TEXT_MAX,
  NOTE_MAX,
  parseAnnouncementInput,
  TEMPLATE_IDS,
  InvalidAnnouncement,
} from '../../../core/announcements/announcementTemplates.js';
import type { AudiencePreview } from '../../../core/announcements/announcementService.js';
import { LANGUAGES } from '../../../core/i18n/i18n.js';
import {
  context,
  divider,
  input,
  modal,
  option,
  section,
  staticSelect,
  textInput,
  type Block,
  type ModalView,
  type Option,
} from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn, slackDate } from '../slackText.js';
import type { ViewState } from './viewState.js';

export const ANNOUNCE_VIEWS = {
  compose: 'announce_compose',
  texts: 'announce_texts',
  preview: 'announce_preview',
} as const;
export const ANNOUNCE_BLOCKS = {
  kind: 'kind',
  place: 'place',
  date: 'date',
  time: 'time',
  note: 'note',
  scope: 'scope',
  kinds: 'kinds',
  statuses: 'statuses',
  activeDays: 'active_days',
  languages: 'languages',
  channels: 'channels',
  departements: 'departements',
  sendAt: 'send_at',
} as const;
export const FREE_TEXT = 'free_text';
const REQUEST_KINDS = ['PHONE', 'RECHARGE', 'HELP', 'CONTACT'] as const;
const REQUEST_STATUSES = ['OPEN', 'CLAIMED', 'ALLOCATED', 'SERVED', 'CLOSED', 'CANCELLED'] as const;

const multi = (actionId: string, placeholder: string, options: Option[]): types.MultiStaticSelect => ({
  type: 'multi_static_select',
  action_id: actionId,
  placeholder: { type: 'plain_text', text: placeholder },
  options,
});

/** A place as its menu shows it: its name, and its town when it has one. */
export const placeOption = (p: { id: string; name: string; city: string | null }) =>
  option(p.city && !p.name.includes(p.city) ? `${p.name} (${p.city})` : p.name, p.id);

/**
 * Step 1: what (a template and its parameters, or free text), to whom, when. `places`: the
 * menu's places, or `search` when there are more than a menu holds (Slack then asks
 * `block_suggestion` for the places matching what is typed).
 */
export function composeModal(
  m: {
    places: Array<{ id: string; name: string; city: string | null }> | 'search';
    mayReachNetwork: boolean;
    channel: string;
  },
  say: Say,
): ModalView {
  const kinds = [
    ...TEMPLATE_IDS.map((id) => option(say(`slack:announce.template.${id}`), id)),
    option(say('slack:announce.free_text'), FREE_TEXT),
  ];
  const placeMenu: types.StaticSelect | types.ExternalSelect | null =
    m.places === 'search'
      ? {
          type: 'external_select',
          action_id: 'value',
          placeholder: { type: 'plain_text', text: say('slack:announce.place_search') },
          // the first places by name as soon as the menu opens, then those matching what is typed
          min_query_length: 0,
        }
      : m.places.length > 0
        ? staticSelect('value', say('slack:announce.place'), m.places.slice(0, 100).map(placeOption))
        : null;
  const blocks: Block[] = [
    input(ANNOUNCE_BLOCKS.kind, say('slack:announce.kind'), staticSelect('value', say('slack:announce.kind'), kinds)),
    ...(placeMenu
      ? [
          input(ANNOUNCE_BLOCKS.place, say('slack:announce.place'), placeMenu, {
            optional: true,
            hint: say('slack:announce.place_hint'),
          }),
        ]
      : []),
    input(
      ANNOUNCE_BLOCKS.date,
      say('slack:announce.date'),
      { type: 'datepicker', action_id: 'value' },
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.time,
      say('slack:announce.time'),
      { type: 'timepicker', action_id: 'value' },
      { optional: true },
    ),
    input(ANNOUNCE_BLOCKS.note, say('slack:announce.note'), textInput('value', { maxLength: NOTE_MAX }), {
      optional: true,
      hint: say('slack:announce.note_hint'),
    }),
    divider(),
    section(say('slack:announce.audience')),
    ...(m.mayReachNetwork
      ? [
          input(
            ANNOUNCE_BLOCKS.scope,
            say('slack:announce.scope'),
            staticSelect(
              'value',
              say('slack:announce.scope'),
              [
                option(say('slack:announce.scope_association'), 'association'),
                option(say('slack:announce.scope_network'), 'network'),
              ],
              option(say('slack:announce.scope_association'), 'association'),
            ),
          ),
        ]
      : []),
    input(
      ANNOUNCE_BLOCKS.kinds,
      say('slack:announce.request_kinds'),
      multi(
        'value',
        say('slack:announce.request_kinds'),
        REQUEST_KINDS.map((k) => option(say(`slack:kind.${k}`), k)),
      ),
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.statuses,
      say('slack:announce.request_statuses'),
      multi(
        'value',
        say('slack:announce.request_statuses'),
        REQUEST_STATUSES.map((s) => option(say(`slack:status.${s}`), s)),
      ),
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.activeDays,
      say('slack:announce.active_days'),
      textInput('value', { maxLength: 3, placeholder: '30' }),
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.languages,
      say('slack:announce.languages'),
      multi(
        'value',
        say('slack:announce.languages'),
        LANGUAGES.map((l) => option(say(`slack:language.${l}`), l)),
      ),
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.channels,
      say('slack:announce.channels'),
      multi(
        'value',
        say('slack:announce.channels'),
        AUDIENCE_CHANNELS.map((c) => option(say(`slack:announce.channel.${c}`), c)),
      ),
      { optional: true },
    ),
    input(
      ANNOUNCE_BLOCKS.departements,
      say('slack:announce.departements'),
      textInput('value', { maxLength: 80, placeholder: '62, 59' }),
      { optional: true, hint: say('slack:announce.departements_hint') },
    ),
    input(
      ANNOUNCE_BLOCKS.sendAt,
      say('slack:announce.send_at'),
      { type: 'datetimepicker', action_id: 'value' },
      { optional: true },
    ),
  ];
  return modal(ANNOUNCE_VIEWS.compose, say('slack:announce.title'), blocks, {
    submit: say('slack:announce.next'),
    close: say('slack:modal.cancel'),
    metadata: { channel: m.channel },
  });
}

/** Which field of the modal a schema path belongs to. */
function blockOfPath(path: string): string {
  if (path.startsWith('params.placeId')) return ANNOUNCE_BLOCKS.place;
  if (path.startsWith('params.date')) return ANNOUNCE_BLOCKS.date;
  if (path.startsWith('params.time')) return ANNOUNCE_BLOCKS.time;
  if (path.startsWith('params.note')) return ANNOUNCE_BLOCKS.note;
  if (path.startsWith('audience.activeWithinDays')) return ANNOUNCE_BLOCKS.activeDays;
  if (path.startsWith('audience.departements')) return ANNOUNCE_BLOCKS.departements;
  if (path.startsWith('sendAt')) return ANNOUNCE_BLOCKS.sendAt;
  return ANNOUNCE_BLOCKS.kind;
}

const ERROR_KEY: Record<string, string> = {
  place: 'place',
  date: 'date',
  time: 'time',
  note: 'note',
  active_days: 'active_days',
  departements: 'departements',
};

/** A draft: the announcement as typed in step 1 (checked again by the core), and whether free texts come next. */
export interface AnnouncementDraft {
  freeText: boolean;
  input: Record<string, unknown>;
  /** when it goes, if later than now */
  sendAt: Date | null;
}

/**
 * Reads step 1, checked with the admin API's schema (free text is checked with a placeholder
 * text: its texts come next). Every problem as a sentence under its field.
 */
export function readCompose(
  state: ViewState,
  say: Say,
): { draft: AnnouncementDraft } | { errors: Record<string, string> } {
  const b = ANNOUNCE_BLOCKS;
  const kind = state.selected(b.kind, 'value');
  const days = state.text(b.activeDays, 'value');
  const departements = state.text(b.departements, 'value');
  const errors: Record<string, string> = {};
  if (!kind) errors[b.kind] = say('slack:announce.invalid.kind');
  if (days !== null && !/^\d{1,3}$/.test(days)) errors[b.activeDays] = say('slack:announce.invalid.active_days');
  const list = (blockId: string) => {
    const values = state.selectedMany(blockId, 'value');
    return values.length > 0 ? values : undefined;
  };
  const optional = (name: string, value: unknown) => (value === undefined || value === null ? {} : { [name]: value });
  const sendAt = state.dateTime(b.sendAt, 'value');
  const template = TEMPLATE_IDS.find((id) => id === kind);
  const input: Record<string, unknown> = {
    ...optional('template', template),
    params: {
      ...optional('placeId', state.selected(b.place, 'value')),
      ...optional('date', state.date(b.date, 'value')),
      ...optional('time', state.time(b.time, 'value')),
      ...optional('note', state.text(b.note, 'value')),
    },
    audience: {
      scope: state.selected(b.scope, 'value') === 'network' ? 'network' : 'association',
      ...optional('requestKinds', list(b.kinds)),
      ...optional('requestStatuses', list(b.statuses)),
      ...optional('activeWithinDays', days && /^\d{1,3}$/.test(days) ? Number(days) : undefined),
      ...optional('languages', list(b.languages)),
      ...optional('channels', list(b.channels)),
      ...optional('departements', departements ? departements.split(/[\s,;]+/).filter(Boolean) : undefined),
    },
    ...optional('sendAt', sendAt?.toISOString()),
  };
  try {
    parseAnnouncementInput(kind === FREE_TEXT ? { ...input, texts: { fr: '·' } } : input);
  } catch (error) {
    if (!(error instanceof InvalidAnnouncement)) throw error;
    for (const issue of error.issues) {
      const block = blockOfPath(issue.path);
      errors[block] ??= say(`slack:announce.invalid.${ERROR_KEY[block] ?? 'kind'}`);
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { draft: { freeText: kind === FREE_TEXT, input, sendAt: sendAt && sendAt > new Date() ? sendAt : null } };
}

const textBlock = (language: string) => `text_${language}`;

/** Step 2 of free text: one field per language of the audience, with how many people read it. */
export function textsModal(
  m: {
    languages: Array<{ language: string; people: number }>;
    footer: string;
    metadata: Record<string, string>;
    scheduled: boolean;
  },
  say: Say,
): ModalView {
  const blocks: Block[] = [
    section(say('slack:announce.texts_intro')),
    ...m.languages.map(({ language, people }) =>
      input(
        textBlock(language),
        say('slack:announce.text_label', { language: say(`slack:language.${language}`), count: people }),
        textInput('value', { multiline: true, maxLength: FREE_TEXT_MAX }),
        { optional: true },
      ),
    ),
    context(say('slack:announce.footer_preview', { footer: escapeMrkdwn(m.footer) })),
  ];
  return modal(ANNOUNCE_VIEWS.texts, say('slack:announce.title'), blocks, {
    submit: say(m.scheduled ? 'slack:announce.schedule' : 'slack:announce.send'),
    close: say('slack:modal.cancel'),
    metadata: m.metadata,
  });
}

/** The free texts typed in step 2 (empty fields: that language is left out). */
export function readTexts(state: ViewState, languages: readonly string[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const language of languages) {
    const text = state.text(textBlock(language), 'value');
    if (text) texts[language] = text;
  }
  return texts;
}

export const textBlocksOf = (languages: readonly string[]) => languages.map(textBlock);

function duration(seconds: number, say: Say): string {
  if (seconds < 120) return say('slack:announce.duration_seconds', { count: Math.max(1, seconds) });
  if (seconds < 7200) return say('slack:announce.duration_minutes', { count: Math.ceil(seconds / 60) });
  return say('slack:announce.duration_hours', { count: Math.round(seconds / 360) / 10 });
}

/** The counts, the sending time per channel and the message as people of two languages will read it. */
export function previewBlocks(
  p: AudiencePreview & { samples?: Array<{ language: string; text: string }> },
  say: Say,
  whatsappDays: number,
): Block[] {
  const languages = Object.entries(p.byLanguage)
    .map(([language, count]) => `${say(`slack:language.${language}`)} ${count}`)
    .join(' · ');
  const channels = p.byChannel
    .map((c) =>
      say('slack:announce.preview_channel', {
        channel: say(`slack:announce.channel.${c.channel}`),
        count: c.people,
        duration: duration(c.seconds, say),
      }),
    )
    .join(' · ');
  const noText = Object.values(p.leftOutNoText).reduce((n, v) => n + v, 0);
  return [
    section(say('slack:announce.preview_total', { count: p.total })),
    section(
      `${say('slack:announce.preview_languages', { list: languages || '–' })}\n` +
        say('slack:announce.preview_channels', { list: channels || '–' }),
    ),
    context(
      say('slack:announce.preview_left_out', {
        optedOut: p.optedOut,
        outsideWindow: p.outsideWindow,
        days: whatsappDays,
        noText,
      }),
    ),
    ...(p.samples ?? []).map((s) =>
      section(
        say('slack:announce.preview_sample', {
          language: say(`slack:language.${s.language}`),
          text: escapeMrkdwn(s.text),
        }),
      ),
    ),
  ];
}

/** Step 2 of a template: the preview, then Send (or Schedule). */
export function previewModal(
  m: {
    preview: AudiencePreview & { samples: Array<{ language: string; text: string }> };
    metadata: Record<string, string>;
    sendAt: Date | null;
    whatsappDays: number;
  },
  say: Say,
): ModalView {
  const when = m.sendAt
    ? say('slack:announce.preview_when_later', { when: slackDate(m.sendAt) })
    : say('slack:announce.preview_when_now');
  return modal(
    ANNOUNCE_VIEWS.preview,
    say('slack:announce.preview_title'),
    [...previewBlocks(m.preview, say, m.whatsappDays), context(when)],
    {
      submit: say(m.sendAt ? 'slack:announce.schedule' : 'slack:announce.send'),
      close: say('slack:modal.cancel'),
      metadata: m.metadata,
    },
  );
}
