import type { DomainCommand } from '../../core/commands/commandTypes.js';
import type { FlowContext, FlowData, FlowInput, Reply } from '../../core/conversation/turnTypes.js';

// The turn's vocabulary is the core's (src/core/conversation/turnTypes.ts): the engine
// implements the core's TurnEngine port over it. Flows import it from here, with what only
// flows need: parsed input, step outcomes and definitions.
export type {
  ChoiceSpec,
  FlowContact,
  FlowContext,
  FlowData,
  FlowInput,
  FlowSettings,
  FlowState,
  JsonValue,
  ReferenceData,
  Reply,
  ReplyParam,
  TurnResult,
} from '../../core/conversation/turnTypes.js';

export interface ParsedInput {
  content: FlowInput;
  /** id of the offered choice the person picked (button, number in any script, or label) */
  choiceId?: string;
  /** trimmed text with digits normalised to ASCII, when the input was text */
  text?: string;
}

/** The result of one step given one input. */
export type StepOutcome =
  /** move to another step of the same flow; its prompt is shown after `replies` */
  | { status: 'next'; step: string; data?: FlowData; replies?: Reply[]; commands?: DomainCommand[] }
  /** stay on this step, say something, optionally without repeating the prompt */
  | { status: 'stay'; data?: FlowData; replies: Reply[]; commands?: DomainCommand[]; reprompt?: boolean }
  /** the input did not fit: the engine says so kindly and repeats the prompt */
  | { status: 'invalid'; hintKey?: string }
  /** the flow is finished; continue with another flow (default: main menu) */
  | {
      status: 'done';
      replies?: Reply[];
      commands?: DomainCommand[];
      then?: { flow: string; step?: string; data?: FlowData };
    }
  /** switch to another flow without finishing this one (menus, shortcuts) */
  | { status: 'goto'; flow: string; step?: string; data?: FlowData; replies?: Reply[]; commands?: DomainCommand[] }
  /** wait for a command's event (no prompt now) */
  | { status: 'wait'; data?: FlowData; replies?: Reply[]; commands: DomainCommand[] };

export interface StepDefinition {
  /** what to show when entering the step */
  prompt: (ctx: FlowContext, data: FlowData) => Reply[];
  onInput: (input: ParsedInput, ctx: FlowContext, data: FlowData) => StepOutcome;
  /** the step accepts a shared location */
  acceptsLocation?: boolean;
  /** `back` must not return to this step (e.g. a confirmation that already acted) */
  noBack?: boolean;
  /**
   * what the person types here is a secret (a reconnection code): the core stores the message
   * only as "a code was entered" (see TurnResult.redactInput)
   */
  secretInput?: boolean;
}

export interface FlowDefinition {
  name: string;
  start: string;
  steps: Record<string, StepDefinition>;
  /** may be entered while the person has not chosen a language yet */
  beforeOnboarding?: boolean;
  /** the flow is opened by this deep-link payload (`/start give` on Telegram, `?start=give` on the web chat) */
  startLink?: string;
}
