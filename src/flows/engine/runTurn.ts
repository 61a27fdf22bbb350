import type { DomainCommand } from '../../core/commands/commandTypes.js';
import type { KeywordTable } from '../../core/conversation/globalKeywords.js';
import { detectKeyword, parseInput } from './parseInput.js';
import type {
  FlowContext,
  FlowData,
  FlowDefinition,
  FlowInput,
  FlowState,
  Reply,
  StepOutcome,
  TurnResult,
} from './flowTypes.js';

export const MAIN_MENU_FLOW = 'menu';
export const ONBOARDING_FLOW = 'onboarding';
export const LANGUAGE_FLOW = 'language';
/** the menu's step after a finished flow: a short line instead of the whole menu */
export const MENU_AFTER_DONE_STEP = 'after';
const MAX_STACK = 20;

export type FlowRegistry = ReadonlyMap<string, FlowDefinition>;

export class UnknownFlowError extends Error {
  readonly code = 'RELAIS_UNKNOWN_FLOW';
  constructor(flow: string, step?: string) {
    super(`unknown flow step ${flow}/${step ?? ''}`);
  }
}

/** Mutable accumulator for one turn; never escapes runTurn. */
interface Turn {
  state: FlowState;
  replies: Reply[];
  commands: DomainCommand[];
  completed: string[];
  redactInput: boolean;
}

export function emptyState(flow: string, step: string): FlowState {
  return { v: 1, flow, step, data: {}, stack: [], choices: [], paused: false };
}

function lookup(registry: FlowRegistry, flow: string, step: string) {
  const definition = registry.get(flow);
  const stepDef = definition?.steps[step];
  if (!definition || !stepDef) throw new UnknownFlowError(flow, step);
  return { definition, stepDef };
}

function enter(
  turn: Turn,
  registry: FlowRegistry,
  ctx: FlowContext,
  flow: string,
  step: string | undefined,
  data: FlowData,
) {
  const definition = registry.get(flow);
  if (!definition) throw new UnknownFlowError(flow, step);
  const target = step ?? definition.start;
  const { stepDef } = lookup(registry, flow, target);
  turn.state = { ...turn.state, flow, step: target, data, choices: [] };
  turn.replies.push(...stepDef.prompt(ctx, data));
}

function homeFlow(ctx: FlowContext): string {
  return ctx.contact.language === null ? ONBOARDING_FLOW : MAIN_MENU_FLOW;
}

function apply(turn: Turn, registry: FlowRegistry, ctx: FlowContext, outcome: StepOutcome) {
  const { state } = turn;
  const { stepDef } = lookup(registry, state.flow, state.step);
  switch (outcome.status) {
    case 'next': {
      turn.commands.push(...(outcome.commands ?? []));
      turn.replies.push(...(outcome.replies ?? []));
      const stack = stepDef.noBack
        ? state.stack
        : [...state.stack, { step: state.step, data: state.data }].slice(-MAX_STACK);
      turn.state = { ...state, stack };
      enter(turn, registry, ctx, state.flow, outcome.step, { ...state.data, ...(outcome.data ?? {}) });
      return;
    }
    case 'stay': {
      turn.commands.push(...(outcome.commands ?? []));
      turn.replies.push(...outcome.replies);
      const data = { ...state.data, ...(outcome.data ?? {}) };
      if (outcome.reprompt) enter(turn, registry, ctx, state.flow, state.step, data);
      else turn.state = { ...state, data };
      return;
    }
    case 'invalid': {
      turn.replies.push({ key: outcome.hintKey ?? 'common:invalid' });
      enter(turn, registry, ctx, state.flow, state.step, state.data);
      return;
    }
    case 'wait': {
      turn.commands.push(...outcome.commands);
      turn.replies.push(...(outcome.replies ?? []));
      turn.state = { ...state, data: { ...state.data, ...(outcome.data ?? {}) } };
      return;
    }
    case 'goto': {
      turn.commands.push(...(outcome.commands ?? []));
      turn.replies.push(...(outcome.replies ?? []));
      turn.state = { ...state, stack: [] };
      enter(turn, registry, ctx, outcome.flow, outcome.step, outcome.data ?? {});
      return;
    }
    case 'done': {
      turn.commands.push(...(outcome.commands ?? []));
      turn.replies.push(...(outcome.replies ?? []));
      turn.completed.push(state.flow);
      turn.state = { ...state, stack: [] };
      // a flow that ends saying something (a reference, "cancelled") ends with one short line
      // pointing to the menu, so that what it said stays in sight; one that ends silently
      // (the person asked for the menu) shows the menu
      const said = (outcome.replies?.length ?? 0) > 0;
      const then = outcome.then ?? { flow: MAIN_MENU_FLOW, ...(said ? { step: MENU_AFTER_DONE_STEP } : {}) };
      // a flow that set the language in this turn may send the person to the menu before
      // ctx knows it: the menu needs no language-specific data, so this is safe
      enter(turn, registry, ctx, then.flow, then.step, then.data ?? {});
      return;
    }
  }
}

/**
 * One turn of a conversation: given the stored state (null on first contact) and one
 * input, returns the new state, the replies (i18n keys) and the domain commands. Pure.
 */
export function runTurn(
  registry: FlowRegistry,
  keywords: KeywordTable,
  stored: FlowState | null,
  input: FlowInput,
  ctx: FlowContext,
): TurnResult {
  const home = homeFlow(ctx);
  const turn: Turn = {
    state: stored ?? emptyState(home, 'start'),
    replies: [],
    commands: [],
    completed: [],
    redactInput: false,
  };

  const linked =
    input.kind === 'start' && input.payload
      ? [...registry.values()].find((f) => f.startLink === input.payload)
      : undefined;
  if (linked && ctx.contact.language !== null && !stored?.paused) {
    // a deep link (`/start give`) opens its flow; a new person chooses their language first
    turn.state = { ...(stored ?? turn.state), stack: [] };
    enter(turn, registry, ctx, linked.name, undefined, {});
    return finish(turn);
  }
  if (stored === null || !registry.get(stored.flow)?.steps[stored.step]) {
    enter(turn, registry, ctx, home, undefined, linked && home === ONBOARDING_FLOW ? { next: linked.name } : {});
    return finish(turn);
  }
  if (stored.paused) {
    turn.commands.push({ type: 'resumeContact' });
    turn.replies.push({ key: 'common:welcome_back' });
    turn.state = { ...stored, paused: false, stack: [] };
    enter(turn, registry, ctx, home, undefined, {});
    return finish(turn);
  }
  if (input.kind === 'start') {
    turn.state = { ...stored, stack: [] };
    enter(turn, registry, ctx, home, undefined, linked && home === ONBOARDING_FLOW ? { next: linked.name } : {});
    return finish(turn);
  }

  const onboarding = ctx.contact.language === null && !registry.get(stored.flow)?.beforeOnboarding;
  if (onboarding) {
    enter(turn, registry, ctx, ONBOARDING_FLOW, undefined, {});
    return finish(turn);
  }

  const keyword = ctx.contact.language === null ? undefined : detectKeyword(input, keywords);
  if (keyword) {
    handleKeyword(turn, registry, ctx, keyword);
    return finish(turn);
  }

  const { stepDef } = lookup(registry, stored.flow, stored.step);
  if (input.kind === 'attachment') {
    turn.replies.push({ key: 'common:attachment_unsupported' });
    enter(turn, registry, ctx, stored.flow, stored.step, stored.data);
    return finish(turn);
  }
  if (input.kind === 'location' && !stepDef.acceptsLocation) {
    turn.replies.push({ key: 'common:location_unexpected' });
    enter(turn, registry, ctx, stored.flow, stored.step, stored.data);
    return finish(turn);
  }
  const parsed = parseInput(input, stored, keywords);
  turn.redactInput = stepDef.secretInput === true && input.kind === 'text';
  apply(turn, registry, ctx, stepDef.onInput(parsed, ctx, stored.data));
  return finish(turn);
}

function handleKeyword(turn: Turn, registry: FlowRegistry, ctx: FlowContext, keyword: string) {
  const { state } = turn;
  switch (keyword) {
    case 'menu':
      turn.state = { ...state, stack: [] };
      enter(turn, registry, ctx, MAIN_MENU_FLOW, undefined, {});
      return;
    case 'back': {
      const previous = state.stack.at(-1);
      if (!previous) {
        turn.state = { ...state, stack: [] };
        enter(turn, registry, ctx, MAIN_MENU_FLOW, undefined, {});
        return;
      }
      turn.state = { ...state, stack: state.stack.slice(0, -1) };
      enter(turn, registry, ctx, state.flow, previous.step, previous.data);
      return;
    }
    case 'help':
      turn.replies.push({ key: 'common:help' });
      enter(turn, registry, ctx, state.flow, state.step, state.data);
      return;
    case 'stop':
      turn.commands.push({ type: 'pauseContact' });
      turn.replies.push({ key: 'common:stopped' });
      turn.state = { ...state, paused: true, choices: [], stack: [] };
      return;
    case 'language':
      turn.state = { ...state, stack: [] };
      enter(turn, registry, ctx, LANGUAGE_FLOW, undefined, {});
      return;
    case 'announcements_off':
      // announcements only: conversations and follow-ups go on, so the person stays where they were
      turn.commands.push({ type: 'setAnnouncements', enabled: false });
      turn.replies.push({ key: 'announcements:opted_out' });
      enter(turn, registry, ctx, state.flow, state.step, state.data);
      return;
  }
}

function finish(turn: Turn): TurnResult {
  return {
    state: turn.state,
    replies: turn.replies,
    commands: turn.commands,
    completed: turn.completed,
    redactInput: turn.redactInput,
  };
}

/**
 * Starts a flow for a person without their input (a follow-up check-in, an appointment
 * reminder): the flow's first prompt becomes the replies and the person's next message
 * answers it. A paused person (after "stop") is not disturbed: null is returned.
 */
export function startFlow(
  registry: FlowRegistry,
  stored: FlowState | null,
  flow: string,
  data: FlowData,
  ctx: FlowContext,
  step?: string,
): TurnResult | null {
  if (stored?.paused) return null;
  const turn: Turn = {
    state: stored ?? emptyState(flow, 'start'),
    replies: [],
    commands: [],
    completed: [],
    redactInput: false,
  };
  turn.state = { ...turn.state, stack: [] };
  enter(turn, registry, ctx, flow, step, data);
  return finish(turn);
}
