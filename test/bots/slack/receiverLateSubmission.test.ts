import { App } from '@slack/bolt';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FastifySlackReceiver } from '../../../src/bots/slack/receiver/fastifyReceiver.js';
import { SIGNING_SECRET } from './support/slackFixture.js';
import { SlackRequester } from './support/slackRequests.js';

const fastify = Fastify();
const receiver = new FastifySlackReceiver({ signingSecret: SIGNING_SECRET, log: pino({ level: 'silent' }) });
// a real Bolt app behind our receiver; its one listener answers a submission only after Slack's window
const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-test-token' }) });
app.view('late_view', async ({ ack }) => {
  await new Promise((resolve) => setTimeout(resolve, 3_100));
  await ack({ response_action: 'errors', errors: { block: 'too late, but honest' } });
});
const slack = new SlackRequester(fastify, SIGNING_SECRET);

beforeAll(async () => {
  await receiver.registerRoutes(fastify);
  await fastify.ready();
});
afterAll(async () => {
  await fastify.close();
});

describe('the receiver and a modal submission past its deadline', () => {
  it(
    'never answers an empty 200 (which Slack reads as success and closes the modal): the late answer is the ' +
      'listener’s',
    async () => {
      const started = Date.now();
      const answer = await slack.viewSubmission({ userId: 'U1', callbackId: 'late_view', values: {} });
      expect(Date.now() - started).toBeGreaterThan(3_000);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ response_action: 'errors', errors: { block: 'too late, but honest' } });
    },
  );
});
