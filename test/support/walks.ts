/**
 * The conversations every channel is walked through, written once and read by the channel
 * conformance suite (`test/conformance/`, which plays them on Telegram, WhatsApp and the web
 * chat and checks every reply) and by the inbound benchmark (`bench/support/walks.ts`, which
 * turns them into Telegram updates). A walk says what a person does and which texts
 * (i18next keys) Relais answers, never how a platform carries them: a tap becomes a pressed
 * inline button on Telegram, the typed number on WhatsApp, a choice post on the web chat.
 *
 * When a flow changes (a menu entry moves, a prompt is added), update its walk here: both the
 * conformance suite and the benchmark follow.
 */

/** Digits a person types numbers in (Arabic-Indic "٠١٢…", Persian "۰۱۲…"). */
export type DigitScript = 'latin' | 'arabic' | 'persian';

/** Western digits written in another script. */
export function inDigits(text: string, script: DigitScript): string {
  if (script === 'latin') return text;
  const zero = script === 'arabic' ? 0x0660 : 0x06f0;
  return text.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
}

/** What the person does at one step. */
export type WalkAction =
  /** first contact: Telegram's /start, the web chat's opening, a greeting typed on WhatsApp */
  | { do: 'start'; greeting: string }
  /** a typed text; `{name}` is replaced by what an earlier reply captured as `name` */
  | { do: 'type'; text: string; digits?: DigitScript }
  /** a tap on a choice of the latest message that has some: by its id and its label (a key, or a brand name) */
  | { do: 'tap'; choice: string; labelKey: string }
  | { do: 'tap'; choice: string; label: string }
  /** types the label of a choice as shown (no button pressed, no number: where a number means something else) */
  | { do: 'typeLabel'; labelKey: string }
  /** a volunteer answers in the Slack thread of the person's latest request (what the Slack app does) */
  | { do: 'volunteerReplies'; text: string }
  /** nothing: the person only receives (a warning caused by another account) */
  | { do: 'wait' };

/** One reply Relais must send: its key (parameters match any text), optionally followed by a line as typed. */
export type ExpectedReply = string | { key: string; then: string };

export interface WalkStep {
  /** who acts (a walk may have several accounts of one person); the walk's first person by default */
  who?: string;
  action: WalkAction;
  /** the replies, in order, exactly these and no others */
  expect: readonly ExpectedReply[];
  /** the replies are in the language of first contact (the app's language where the platform says it) */
  firstContact?: true;
  /** the replies are in this language rather than the person's (an account linked to someone else) */
  in?: string;
  /** keeps the first match of `pattern` in the replies as `name`, for later steps */
  capture?: { name: string; pattern: RegExp };
}

/** One account a person writes from, with the language their phone or browser is set to. */
export interface WalkPerson {
  appLanguage: string;
  /** the language the person chooses (the replies' language after the choice) */
  language: string;
  /** the person types numbers (and taps, where a tap is a typed number) in this script */
  digits?: DigitScript;
}

/** A conversation every simulated person goes through, step by step, in order. */
export interface Walk {
  name: string;
  /** a sentence about behaviour, for the test name */
  title: string;
  people: Readonly<Record<string, WalkPerson>>;
  steps: readonly WalkStep[];
  /** numbered choices are written right to left (after the language choice) */
  rtl?: boolean;
  /** what the walk left in the database, checked after the last step (see the conformance suite) */
  outcome?: 'phoneRequest' | 'rechargeRequest' | 'linkedAccount' | 'volunteerChat';
}

const WELCOME = ['onboarding:welcome', 'privacy:notice_short', 'onboarding:choose_language'] as const;
const LANGUAGE_SET = ['onboarding:language_set', 'privacy:how_to_erase', 'menu:title'] as const;

/** First contact and the language chosen by its label, for the walks' first person. */
function onboarding(greeting: string, language: string, who?: string): WalkStep[] {
  const whom = who ? { who } : {};
  return [
    { ...whom, action: { do: 'start', greeting }, expect: WELCOME, firstContact: true },
    {
      ...whom,
      action: { do: 'tap', choice: `lang:${language}`, labelKey: `languages:${language}` },
      expect: LANGUAGE_SET,
    },
  ];
}

/**
 * A phone request from first contact to its reference (P-…), answering by number as a person
 * with a cheap phone would: for whom, situation, urgency, where they stay (skipped by its label),
 * confirm. Creates a Request and its `request.created` task on every walk. The inbound benchmark
 * measures this walk: changing its steps changes the benchmark's figures.
 */
export const PHONE_REQUEST_WALK: Walk = {
  name: 'phone-request',
  title: 'asks for a phone in English, answering by number, and gets its reference',
  people: { amina: { appLanguage: 'en', language: 'en' } },
  steps: [
    ...onboarding('Hello', 'en'),
    { action: { do: 'type', text: '1' }, expect: ['phone:for_whom'] },
    { action: { do: 'type', text: '1' }, expect: ['phone:situation'] },
    { action: { do: 'type', text: '2' }, expect: ['phone:urgency'] },
    // no association in the database: straight to where the person stays
    { action: { do: 'type', text: '1' }, expect: ['phone:stay'] },
    { action: { do: 'type', text: 'Skip' }, expect: ['phone:summary'] },
    { action: { do: 'type', text: '1' }, expect: ['phone:created', 'phone:next_step_triage', 'menu:after_done'] },
  ],
  outcome: 'phoneRequest',
};

/**
 * Back to "I need a phone" while the first request is open: `0` after the finished flow brings
 * the full menu back, and the phone entry says the open request (reference, status) at once,
 * offering a request for someone in the family, the person's requests or the menu.
 */
export const PHONE_ALREADY_OPEN_WALK: Walk = {
  name: 'phone-already-open',
  title: 'comes back to the phone entry with a request open and is told its reference first',
  people: { amina: { appLanguage: 'en', language: 'en' } },
  steps: [
    ...PHONE_REQUEST_WALK.steps,
    { action: { do: 'type', text: '0' }, expect: ['menu:title'] },
    { action: { do: 'tap', choice: 'phone', labelKey: 'menu:phone' }, expect: ['phone:already_open_start'] },
    // the menu choice ends the flow without a word of its own: the full menu follows
    { action: { do: 'tap', choice: 'menu', labelKey: 'common:choice_menu' }, expect: ['menu:title'] },
  ],
  outcome: 'phoneRequest',
};

/**
 * First contact, the language, the privacy notice, back to the menu, another language
 * (no domain command beyond language and consent).
 */
export const ONBOARDING_WALK: Walk = {
  name: 'onboarding',
  title: 'chooses a language, reads the privacy notice and changes language from the menu',
  people: { sam: { appLanguage: 'en', language: 'en' } },
  steps: [
    ...onboarding('Hello', 'en'),
    { action: { do: 'type', text: 'menu' }, expect: ['menu:title'] },
    {
      action: { do: 'tap', choice: 'privacy', labelKey: 'menu:privacy' },
      expect: ['privacy:notice_full', 'privacy:what_next'],
    },
    { action: { do: 'type', text: 'menu' }, expect: ['menu:title'] },
    { action: { do: 'tap', choice: 'language', labelKey: 'menu:language' }, expect: ['onboarding:choose_language'] },
    {
      action: { do: 'tap', choice: 'lang:fr', labelKey: 'languages:fr' },
      expect: ['onboarding:language_set', 'menu:title'],
      in: 'fr',
    },
  ],
};

/** Only first contact: opens one conversation per person (memory benchmark). */
export const FIRST_CONTACT_WALK: Walk = {
  name: 'first-contact',
  title: 'is welcomed and asked for a language',
  people: { amina: { appLanguage: 'en', language: 'en' } },
  steps: [{ action: { do: 'start', greeting: 'Hello' }, expect: WELCOME, firstContact: true }],
};

/**
 * A recharge in Arabic, right to left: the language and the menu entry typed in Arabic-Indic
 * digits, the offer and the confirmation tapped, then the privacy notice and back to the menu.
 */
export const RECHARGE_WALK: Walk = {
  name: 'recharge-ar',
  title: 'asks for credit in Arabic with right-to-left numbered choices, typing Arabic-Indic digits',
  people: { amal: { appLanguage: 'ar', language: 'ar', digits: 'arabic' } },
  rtl: true,
  steps: [
    { action: { do: 'start', greeting: 'مرحبا' }, expect: WELCOME, firstContact: true },
    { action: { do: 'type', text: '٣' }, expect: LANGUAGE_SET },
    { action: { do: 'type', text: '٢' }, expect: ['recharge:operator'] },
    { action: { do: 'type', text: '١' }, expect: ['recharge:offer'] },
    { action: { do: 'tap', choice: 'eur10', labelKey: 'recharge:offer_eur10' }, expect: ['recharge:summary'] },
    {
      action: { do: 'tap', choice: 'send', labelKey: 'recharge:choice_send' },
      expect: ['recharge:created', 'recharge:next_step', 'menu:after_done'],
    },
    { action: { do: 'type', text: '١٠' }, expect: ['privacy:notice_full', 'privacy:what_next'] },
    { action: { do: 'type', text: '٣' }, expect: ['menu:title'] },
  ],
  outcome: 'rechargeRequest',
};

/**
 * The reconnection code: a person shows their personal code on their old account (Persian),
 * types it in Persian digits on a new account (English), confirms "is this you?" and goes on
 * there; the old account is told. (A coordinator's one-time code from Slack is typed the same way.)
 */
export const RECONNECTION_CODE_WALK: Walk = {
  name: 'reconnection-code',
  title: 'shows a personal code on one account and uses it on a new one, which then belongs to the same person',
  people: { old: { appLanguage: 'fa', language: 'fa', digits: 'persian' }, new: { appLanguage: 'en', language: 'en' } },
  steps: [
    ...onboarding('سلام', 'fa', 'old'),
    { who: 'old', action: { do: 'tap', choice: 'code', labelKey: 'menu:code' }, expect: ['code:intro'] },
    {
      who: 'old',
      action: { do: 'tap', choice: 'show', labelKey: 'code:choice_show' },
      expect: ['code:your_code', 'code:keep_it', 'menu:after_done'],
      capture: { name: 'code', pattern: /\d{4} \d{4} \d{2}/ },
    },
    ...onboarding('Hi', 'en', 'new'),
    { who: 'new', action: { do: 'tap', choice: 'code', labelKey: 'menu:code' }, expect: ['code:intro'] },
    { who: 'new', action: { do: 'tap', choice: 'have', labelKey: 'code:choice_have' }, expect: ['code:type_it'] },
    { who: 'new', action: { do: 'type', text: '{code}', digits: 'persian' }, expect: ['code:is_it_you'] },
    {
      who: 'new',
      action: { do: 'tap', choice: 'yes', labelKey: 'common:choice_yes' },
      expect: ['code:linked', 'menu:after_done'],
    },
    { who: 'old', action: { do: 'wait' }, expect: ['code:new_account_linked'] },
    // the new account now speaks as the person, in the language chosen on it; labels typed work too
    { who: 'new', action: { do: 'type', text: 'My data' }, expect: ['privacy:notice_full', 'privacy:what_next'] },
    { who: 'new', action: { do: 'type', text: 'main menu' }, expect: ['menu:title'] },
  ],
  outcome: 'linkedAccount',
};

/**
 * The volunteer chat: the person writes to a volunteer (a CONTACT request, a bare number is
 * words, not a choice), ends the chat; a volunteer's answer in Slack arrives and reopens it.
 */
export const VOLUNTEER_CHAT_WALK: Walk = {
  name: 'volunteer-chat',
  title: "talks to a volunteer in French and gets the volunteer's answer relayed",
  people: { karim: { appLanguage: 'fr', language: 'fr' } },
  steps: [
    ...onboarding('Bonjour', 'fr'),
    { action: { do: 'tap', choice: 'volunteer', labelKey: 'menu:volunteer' }, expect: ['volunteer:intro'] },
    {
      action: { do: 'type', text: 'Bonjour, j’ai besoin d’un avocat' },
      expect: ['volunteer:sent_first', 'volunteer:chat'],
    },
    { action: { do: 'type', text: '2' }, expect: ['volunteer:sent'] },
    // in the chat a bare number is words for the volunteer too: the person types "end the chat"
    { action: { do: 'typeLabel', labelKey: 'volunteer:choice_end' }, expect: ['volunteer:ended', 'menu:after_done'] },
    {
      action: { do: 'volunteerReplies', text: 'Venez mardi à 14 h.' },
      expect: [{ key: 'volunteer:staff_header', then: 'Venez mardi à 14 h.' }, 'volunteer:chat'],
    },
    { action: { do: 'type', text: 'D’accord, merci' }, expect: ['volunteer:sent'] },
  ],
  outcome: 'volunteerChat',
};

/** The walks every channel adapter passes (test/conformance). */
export const CONFORMANCE_WALKS: readonly Walk[] = [
  PHONE_REQUEST_WALK,
  PHONE_ALREADY_OPEN_WALK,
  RECHARGE_WALK,
  RECONNECTION_CODE_WALK,
  VOLUNTEER_CHAT_WALK,
  ONBOARDING_WALK,
];
