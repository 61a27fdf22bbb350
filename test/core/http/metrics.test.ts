import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { redisOptions } from '../../../src/core/queue/queueConnection.js';
import { registerScrapeGauges } from '../../../src/core/http/scrapeGauges.js';
import { createRequest } from '../../../src/core/requests/requestService.js';
import { prismaRunner } from '../../../src/core/db/sqlRunner.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  t = await startTestRelais('metrics', {}, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

const scrape = async () => {
  const response = await t.relais.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body;
};

/** The value of one sample, e.g. `relais_queue_jobs{queue="tasks",state="failed"}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

describe('/metrics after a conversation', () => {
  it('exposes inbound, outbound, flow, webhook latency, queue, request age and outbox series', async () => {
    await channel.sendEvent('4242', { kind: 'start' });
    await eventually(async () => channel.textsTo('4242').length >= 3);
    await channel.sendEvent('4242', { kind: 'choice', choiceId: 'lang:fr' });
    await eventually(async () => channel.textsTo('4242').length >= 6);

    const contact = await t.relais.db.contact.findFirstOrThrow({ where: { language: 'fr' } });
    const { request } = await t.relais.db.$transaction((tx) =>
      createRequest(prismaRunner(tx), { kind: 'PHONE', contactId: contact.id, details: {} }),
    );
    await t.relais.db.request.update({
      where: { id: request.id },
      data: { createdAt: new Date(Date.now() - 2 * 3600_000) },
    });
    // a reply waiting for a channel that is down (no WhatsApp sender here): the outbox backlog
    await t.relais.db.message.create({
      data: {
        channel: 'WHATSAPP',
        direction: 'OUTBOUND',
        status: 'PENDING',
        contactId: contact.id,
        content: { text: 'x' },
        createdAt: new Date(Date.now() - 60_000),
      },
    });

    const body = await eventually(async () => {
      const text = await scrape();
      return (sample(text, 'relais_outbound_messages_total{channel="TELEGRAM",result="sent"}') ?? 0) >= 6
        ? text
        : undefined;
    });
    expect(sample(body, 'relais_inbound_messages_total{channel="TELEGRAM",outcome="accepted"}')).toBe(2);
    expect(sample(body, 'relais_flow_completions_total{flow="onboarding"}')).toBe(1);
    expect(sample(body, 'relais_webhook_duration_seconds_count{channel="TELEGRAM"}')).toBe(2);
    for (const queue of ['tasks', 'outbound-telegram', 'outbound-web']) {
      for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed'])
        expect(
          sample(body, `relais_queue_jobs{queue="${queue}",state="${state}"}`),
          `${queue} ${state}`,
        ).toBeGreaterThanOrEqual(0);
    }
    expect(sample(body, 'relais_queue_jobs{queue="outbound-telegram",state="failed"}')).toBe(0);
    expect(sample(body, 'relais_requests_waiting{status="OPEN"}')).toBe(1);
    expect(sample(body, 'relais_requests_waiting{status="CLAIMED"}')).toBe(0);
    expect(sample(body, 'relais_request_oldest_age_seconds{status="OPEN"}')).toBeGreaterThanOrEqual(7200);
    expect(sample(body, 'relais_request_oldest_age_seconds{status="ALLOCATED"}')).toBe(0);
    expect(sample(body, 'relais_outbox_pending_messages{channel="WHATSAPP"}')).toBe(1);
    expect(sample(body, 'relais_outbox_pending_messages{channel="TELEGRAM"}')).toBeUndefined();
    expect(sample(body, 'relais_outbox_oldest_pending_seconds{kind="message"}')).toBeGreaterThanOrEqual(60);
    expect(sample(body, 'relais_outbox_oldest_pending_seconds{kind="task"}')).toBeGreaterThanOrEqual(0);
    expect(body).toContain('# TYPE relais_outbox_pending_jobs gauge');
  });
});

describe('scraping while Redis is down', () => {
  it('answers within the scrape timeout, without the queue series and with the Postgres ones', async () => {
    const deadQueue = new Queue('tasks', {
      connection: { ...redisOptions('redis://127.0.0.1:1', 'producer'), retryStrategy: () => null },
      prefix: 'dead',
    });
    deadQueue.on('error', () => undefined);
    const registry = new Registry();
    registerScrapeGauges(registry, { db: t.relais.db, queues: () => [deadQueue] });
    const started = Date.now();
    const body = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(body).not.toContain('relais_queue_jobs{');
    expect(sample(body, 'relais_requests_waiting{status="OPEN"}')).toBeGreaterThanOrEqual(0);
    await deadQueue.close().catch(() => undefined);
  });
});
