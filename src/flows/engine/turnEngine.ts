import type { KeywordTable } from '../../core/conversation/globalKeywords.js';
import type { TurnEngine } from '../../core/conversation/turnEngine.js';
import { runTurn, startFlow, type FlowRegistry } from './runTurn.js';

/** The flow engine behind the core's TurnEngine port: the given flows, global keywords in every language. */
export function createTurnEngine(registry: FlowRegistry, keywords: KeywordTable): TurnEngine {
  return {
    run: (stored, input, ctx) => runTurn(registry, keywords, stored, input, ctx),
    start: (stored, flow, data, ctx, step) => startFlow(registry, stored, flow, data, ctx, step),
    readsSecret: (state) => registry.get(state.flow)?.steps[state.step]?.secretInput === true,
  };
}
