import { z } from 'zod';
import type { FlowState, JsonValue } from '../conversation/turnTypes.js';

// z.lazy calls its getter at every value it checks: build the union once, not per value
// (building it per value was 2 % of the web process's time under load)
const jsonValue: z.ZodType<JsonValue> = z.lazy(() => jsonUnion);
const jsonUnion: z.ZodType<JsonValue> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(jsonValue),
  z.record(jsonValue),
]);
const flowData = z.record(jsonValue);

export const flowStateSchema: z.ZodType<FlowState> = z.object({
  v: z.literal(1),
  flow: z.string(),
  step: z.string(),
  data: flowData,
  stack: z.array(z.object({ step: z.string(), data: flowData })),
  choices: z.array(z.object({ id: z.string(), label: z.string() })),
  paused: z.boolean(),
});

/** What the Conversation.state column holds: the flow state plus the flood window of the person. */
export const conversationRecordSchema = z.object({
  flow: flowStateSchema,
  /** `held`: some of the person's messages wait to be played back (floodCheck.ts, heldReplayTask.ts) */
  flood: z.object({ windowStart: z.number(), count: z.number().int(), held: z.boolean().optional() }),
});
export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/** Reads a stored record; anything unreadable (older shape, corruption) restarts the conversation. */
export function readConversationRecord(raw: unknown): ConversationRecord | null {
  const parsed = conversationRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
