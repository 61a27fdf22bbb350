import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus series of one process. Gauges that need the database are registered by the HTTP layer. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    inbound: new Counter({
      name: 'relais_inbound_messages_total',
      help: 'Inbound messages by channel and outcome',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    outbound: new Counter({
      name: 'relais_outbound_messages_total',
      help: 'Outbound messages by channel and result',
      labelNames: ['channel', 'result'] as const,
      registers: [registry],
    }),
    flowCompletions: new Counter({
      name: 'relais_flow_completions_total',
      help: 'Conversation flows completed',
      labelNames: ['flow'] as const,
      registers: [registry],
    }),
    inboundReruns: new Counter({
      name: 'relais_inbound_batch_reruns_total',
      help:
        'Inbound turns run again outside their group-commit batch: rolled_back (the batch failed; run alone) ' +
        'or needs_prisma (left it for a Prisma transaction)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    webhookLatency: new Histogram({
      name: 'relais_webhook_duration_seconds',
      help: 'Time from receiving an inbound update to acknowledging it',
      labelNames: ['channel'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
