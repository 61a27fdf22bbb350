import { createI18n, LANGUAGES, RTL_LANGUAGES } from '../../src/core/i18n/i18n.js';
import type {
  FlowContext,
  FlowData,
  FlowInput,
  FlowState,
  ReferenceData,
  TurnResult,
} from '../../src/flows/engine/flowTypes.js';
import { buildKeywordTable } from '../../src/core/conversation/globalKeywords.js';
import { renderReplies, type CommandValues } from '../../src/core/conversation/renderReplies.js';
import { runTurn, startFlow } from '../../src/flows/engine/runTurn.js';
import { buildFlowRegistry } from '../../src/flows/flowRegistry.js';
import type { DomainCommand } from '../../src/core/commands/commandTypes.js';
import type { OutboundContent } from '../../src/core/messages/messageTypes.js';

const i18n = createI18n();
const keywords = buildKeywordTable(i18n.keywordSpellings(), i18n.choiceSpellings());
const registry = buildFlowRegistry();

/**
 * Drives flows without any channel or database: keeps the state between turns, renders the
 * replies with the real locales, and lets a test answer command events by hand.
 */
export class FlowHarness {
  state: FlowState | null = null;
  language: string | null;
  texts: string[] = [];
  /** the rendered messages of the last turn (text, choices, rtl) */
  messages: OutboundContent[] = [];
  commands: DomainCommand[] = [];
  lastChoices: Array<{ id: string; label: string }> = [];
  /** whether the last turn asked the core to keep the person's input only as "a code was entered" */
  lastRedacted = false;

  constructor(
    options: {
      language?: string | null;
      reference?: ReferenceData;
      hint?: string;
      associationId?: string | null;
      kind?: 'BENEFICIARY' | 'DONOR';
    } = {},
    private readonly now = new Date('2026-11-24T10:00:00Z'),
  ) {
    this.language = options.language === undefined ? 'en' : options.language;
    this.reference = options.reference ?? { associations: [] };
    this.hint = options.hint ?? 'en';
    this.associationId = options.associationId ?? null;
    this.kind = options.kind ?? 'BENEFICIARY';
  }

  private readonly kind: 'BENEFICIARY' | 'DONOR';

  private readonly reference: ReferenceData;
  private readonly hint: string;
  private readonly associationId: string | null;

  private context(): FlowContext {
    return {
      now: this.now,
      language: this.language ?? this.hint,
      contact: {
        id: 'contact-1',
        kind: this.kind,
        language: this.language,
        associationId: this.associationId,
        consented: this.language !== null,
      },
      reference: this.reference,
      settings: { languages: LANGUAGES, rtlLanguages: RTL_LANGUAGES, rechargeQuota: { count: 1, days: 30 } },
      commandId: (name) => `cmd-${name}`,
    };
  }

  /** One input; returns the rendered texts of this turn. `values` stand in for command results. */
  send(input: FlowInput | string, values: CommandValues = {}): string[] {
    const content: FlowInput = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const turn = runTurn(registry, keywords, this.state, content, this.context());
    this.lastRedacted = turn.redactInput;
    return this.render(turn, values);
  }

  /** The core opens a flow without input (a check-in, a reminder), as InboundService.startFlowFor does. */
  open(flow: string, data: FlowData, step?: string): string[] {
    const turn = startFlow(registry, this.state, flow, data, this.context(), step);
    if (!turn) throw new Error('the person is paused');
    return this.render(turn, {});
  }

  private render(turn: TurnResult, values: CommandValues): string[] {
    for (const command of turn.commands) if (command.type === 'setLanguage') this.language = command.language;
    const lng = this.language ?? this.hint;
    const rendered = renderReplies(
      turn.replies,
      (key, params) => i18n.t(lng, key, { messageDays: 30, requestDays: 180, ...params }),
      i18n.isRtl(lng),
      values,
    );
    turn.state.choices = rendered.choices;
    this.state = turn.state;
    this.commands = turn.commands;
    this.lastChoices = rendered.choices;
    this.messages = rendered.messages;
    this.texts = rendered.messages.map((m) => m.text);
    return this.texts;
  }

  choose(choiceId: string, values: CommandValues = {}): string[] {
    return this.send({ kind: 'choice', choiceId }, values);
  }

  /** Presses several buttons in a row; returns the texts of the last turn. */
  walk(...choiceIds: string[]): string[] {
    for (const choiceId of choiceIds) this.choose(choiceId);
    return this.texts;
  }

  t(key: string, params?: Record<string, string | number>, language = this.language ?? 'en'): string {
    return i18n.t(language, key, { messageDays: 30, requestDays: 180, ...params });
  }
}
