import type { FlowContext, FlowData, FlowInput, FlowState, TurnResult } from './turnTypes.js';

/**
 * The port through which the core runs conversations. The core defines it; the flow engine
 * (src/flows/engine/turnEngine.ts) implements it and the composition root (src/relais.ts)
 * hands it to the inbound service, so the core never imports a flow. Pure: no I/O, no clock.
 */
export interface TurnEngine {
  /** One turn: the stored state (null on first contact) and one input give the new state, replies and commands. */
  run(stored: FlowState | null, input: FlowInput, ctx: FlowContext): TurnResult;
  /**
   * Opens `flow` without input from the person (a check-in, a reminder, a volunteer's
   * question); null when the person paused the conversation ("stop").
   */
  start(stored: FlowState | null, flow: string, data: FlowData, ctx: FlowContext, step?: string): TurnResult | null;
  /** Whether what the person types at this state's step is a secret (a code), to be stored only as "entered". */
  readsSecret(state: FlowState): boolean;
}
