import { z } from 'zod';

/** Options of the load process (bench/webhookLoad.ts), passed as one JSON argument. */
export const webhookLoadOptionsSchema = z.object({
  url: z.string().url(),
  secret: z.string(),
  walk: z.string(),
  /** people walking at the same time */
  chats: z.number().int().positive(),
  connections: z.number().int().positive(),
  /** measured seconds (0 with `amount`) */
  durationSec: z.number().nonnegative(),
  /** stop after this many updates instead of a duration; people do not restart their walk */
  amount: z.number().int().nonnegative().default(0),
  warmupSec: z.number().nonnegative().default(0),
  /** first chat id (distinct ranges keep runs apart) */
  firstChatId: z.number().int().positive().default(10_000_000),
});
export type WebhookLoadOptions = z.input<typeof webhookLoadOptionsSchema>;

export const webhookLoadResultSchema = z.object({
  requests: z.number(),
  ok: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  seconds: z.number(),
  perSec: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  walksCompleted: z.number(),
});
export type WebhookLoadResult = z.infer<typeof webhookLoadResultSchema>;

export type WebhookLoadOptionsParsed = z.infer<typeof webhookLoadOptionsSchema>;
