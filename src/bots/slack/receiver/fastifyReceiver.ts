import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { ZodError } from 'zod';
import { isUnstorableText } from '../../../core/errors.js';
import { checkSlackSignature } from './slackSignature.js';
import { parseSlackBody } from './slackRequestBody.js';

/** One route takes everything; the other two exist so a manifest with separate URLs works too. */
export const SLACK_PATHS = ['/slack/events', '/slack/actions', '/slack/commands'] as const;
const BODY_LIMIT = 1024 * 1024;
/** Slack gives up after 3 s; answer a little before, whatever the listener is doing */
const ACK_DEADLINE_MS = 2_800;
/**
 * A modal submission whose listener has not answered by the deadline gets no empty 200: Slack
 * reads an empty answer as success and closes the modal. Without an answer Slack shows its own
 * error in the modal, which stays open; the request is ended with a 500 after this long.
 */
const SUBMISSION_GIVE_UP_MS = 10_000;

type Outcome =
  | { kind: 'acked'; response: unknown }
  | { kind: 'done' }
  | { kind: 'failed'; badInput: boolean }
  | { kind: 'timeout' };

/**
 * A listener failed because of the payload's shape (a field missing or of the wrong type, a
 * text Postgres cannot store): retrying cannot help, so the answer is 400, not 500. Only a
 * signed request gets this far, so it is Slack's (or a test's) payload, never an attacker's.
 */
function isBadInput(error: unknown): boolean {
  return (
    error instanceof TypeError || error instanceof RangeError || error instanceof ZodError || isUnstorableText(error)
  );
}

/**
 * Bolt receiver living inside our Fastify app (one process, one port). The route keeps the
 * raw body (needed for the signature), verifies it, parses it, and hands Bolt a
 * ReceiverEvent. The HTTP answer leaves as soon as a listener calls `ack()` (interactivity,
 * commands: their result may be the ack body, e.g. modal errors), so slow work runs after.
 * Events API callbacks are answered once their listener finished, up to 2.8 s: a failure
 * then becomes a 500 and Slack retries it; listeners de-duplicate by event id.
 */
export class FastifySlackReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: { signingSecret: string; log: Logger }) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Mounts the Slack routes on the shared Fastify instance, in their own scope (raw-body parser). */
  async registerRoutes(fastify: FastifyInstance): Promise<void> {
    await fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
        done(null, body),
      );
      for (const url of SLACK_PATHS)
        scope.post(url, { bodyLimit: BODY_LIMIT }, (request, reply) => this.handle(request, reply));
    });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply) {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = checkSlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody,
      signature: header(request, 'x-slack-signature'),
      timestamp: header(request, 'x-slack-request-timestamp'),
    });
    if (check !== 'valid') {
      this.options.log.warn({ reason: check }, 'slack request refused: bad signature');
      return reply.status(401).send({ error: 'RELAIS_BAD_SIGNATURE' });
    }
    const body = parseSlackBody(rawBody, request.headers['content-type']);
    if (!body) return reply.status(400).send({ error: 'RELAIS_BAD_REQUEST' });
    if (body.ssl_check) return reply.status(200).send('');
    if (body.type === 'url_verification')
      return reply.status(200).send({ challenge: typeof body.challenge === 'string' ? body.challenge : '' });
    if (!this.app) return reply.status(503).send({ error: 'RELAIS_NOT_READY' });

    const outcome = await this.dispatch(this.app, body, request);
    switch (outcome.kind) {
      case 'failed':
        return outcome.badInput
          ? reply.status(400).send({ error: 'RELAIS_BAD_REQUEST' })
          : reply.status(500).send({ error: 'RELAIS_INTERNAL' });
      case 'acked':
        if (outcome.response === undefined || outcome.response === null || outcome.response === '')
          return reply.status(200).send('');
        return typeof outcome.response === 'string'
          ? reply.status(200).type('text/plain').send(outcome.response)
          : reply.status(200).send(outcome.response);
      default:
        return reply.status(200).send('');
    }
  }

  private async dispatch(app: App, body: Record<string, unknown>, request: FastifyRequest): Promise<Outcome> {
    const isEvent = body.type === 'event_callback';
    let acked = false;
    let resolveAck: (outcome: Outcome) => void = () => undefined;
    const ackPromise = new Promise<Outcome>((resolve) => {
      resolveAck = resolve;
    });
    const retry = header(request, 'x-slack-retry-num');
    const retryReason = header(request, 'x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ...(retry && /^\d+$/.test(retry) ? { retryNum: Number(retry) } : {}),
      ...(retryReason ? { retryReason } : {}),
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        resolveAck({ kind: 'acked', response });
      },
    };
    const processing: Promise<Outcome> = app.processEvent(event).then(
      (): Outcome => ({ kind: 'done' }),
      (error: unknown): Outcome => {
        this.options.log.warn(
          { err: errorSummary(error), type: typeof body.type === 'string' ? body.type : 'unknown' },
          'slack listener failed',
        );
        return { kind: 'failed', badInput: isBadInput(error) };
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), ACK_DEADLINE_MS);
    });
    // events: Bolt acks them before the listener runs; wait for the listener so a failure can be retried
    let first = await Promise.race(isEvent ? [processing, deadline] : [ackPromise, processing, deadline]);
    clearTimeout(timer);
    if (first.kind === 'timeout' && body.type === 'view_submission')
      first = await this.submissionAnswer(ackPromise, processing);
    // a listener that acknowledged and then finished (or failed): its ack is the answer
    return !isEvent && acked && first.kind !== 'acked' ? ackPromise : first;
  }

  /** The late answer of a modal submission (see SUBMISSION_GIVE_UP_MS): its ack, its failure, or 500. */
  private async submissionAnswer(ackPromise: Promise<Outcome>, processing: Promise<Outcome>): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'failed', badInput: false }), SUBMISSION_GIVE_UP_MS - ACK_DEADLINE_MS);
    });
    const done = processing.then((outcome) =>
      outcome.kind === 'done' ? ({ kind: 'failed', badInput: false } as const) : outcome,
    );
    const outcome = await Promise.race([ackPromise, done, giveUp]);
    clearTimeout(timer);
    this.options.log.warn({ answered: outcome.kind === 'acked' }, 'slack modal submission answered after the deadline');
    return outcome;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
