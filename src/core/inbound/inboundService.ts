import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AddressGuesses } from '../contacts/addressGuesses.js';
import type { TurnEngine } from '../conversation/turnEngine.js';
import type { FlowState, ReferenceData } from '../conversation/turnTypes.js';
import type { Db, Tx } from '../db.js';
import { limitPrismaWaits, prismaTransaction, sqlTransaction, type PrismaTransaction } from '../db/transaction.js';
import type { BatchWork, TurnBatcher } from '../db/turnBatcher.js';
import { DependencyUnavailable, isDatabaseUnavailable, TurnTimedOut, waitTimedOut } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import { inboundMessageSchema, type InboundMessage } from '../messages/messageTypes.js';
import type { Metrics } from '../metrics.js';
import { errorSummary, type OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import type { Secrets } from '../secrets.js';
import type { ReferenceDataCache } from './referenceData.js';
import type { ReceiveResult, TurnOutcome, TurnRun } from './turnResults.js';
import { TurnRunner } from './turnRunner.js';
import { forgetInboundStatement, type StoredOutbound } from './turnStoreSql.js';

export type { ReceiveResult } from './turnResults.js';

export interface InboundDeps {
  db: Db;
  secrets: Secrets;
  i18n: I18n;
  /** the flow engine, behind the core's port (wired by src/relais.ts) */
  engine: TurnEngine;
  config: Config;
  log: Logger;
  dispatcher: OutboxDispatcher;
  referenceData: ReferenceDataCache;
  metrics?: Metrics;
  /**
   * the fast path: turns without Prisma-only commands run on bare clients of the pool Prisma
   * uses too (4x cheaper), batched; without it every turn runs in a Prisma transaction
   */
  turns?: TurnBatcher;
  /** wrong reconnection codes per client address (Redis); without it addresses are not counted */
  addressGuesses?: AddressGuesses;
}

/** How the fast path ended: the turn is done, or it must run in a Prisma transaction (or there is no fast path). */
type FastPath = { status: 'done'; outcome: TurnOutcome } | { status: 'needsPrisma' };

/**
 * The one entry point of every channel: the receive orchestration. De-duplicates by (channel,
 * platform update id), stores the inbound message, runs the turn (TurnRunner) and commits the
 * new state, the domain effects and the outbound messages in one transaction; only then may
 * the adapter acknowledge. Chooses the transaction: the fast path (a bare pg client, batched
 * by TurnBatcher) unless the turn comes back needing Prisma. Throws DependencyUnavailable when
 * Postgres is down (the adapter answers 503 so the platform retries); any other failure still
 * stores the message and apologises.
 */
export class InboundService {
  /** the fast path's transactions, batched or alone; none without a pool (Prisma only) */
  private readonly turns: TurnBatcher | null;
  private readonly runner: TurnRunner;

  constructor(private readonly deps: InboundDeps) {
    this.turns = deps.turns ?? null;
    this.runner = new TurnRunner(deps);
  }

  async receive(raw: InboundMessage): Promise<ReceiveResult> {
    const inbound = inboundMessageSchema.parse(raw);
    const started = process.hrtime.bigint();
    // the turn's waits end before the webhook's timeouts: then 503, and the platform retries
    const deadline = Date.now() + this.deps.config.INBOUND_TURN_TIMEOUT_MS;
    let outcome: TurnOutcome;
    try {
      outcome = await this.transact(inbound, deadline);
    } catch (error) {
      if (error instanceof TurnTimedOut) throw error;
      const waited = waitTimedOut(error);
      // rolled back: nothing of the turn is stored, so it must not be stored "after failure" either
      if (waited) throw new TurnTimedOut(waited, error);
      if (isDatabaseUnavailable(error)) throw new DependencyUnavailable('postgres', error);
      const err = errorSummary(error);
      this.deps.log.error({ err, channel: inbound.channel }, 'flow failed; storing the message with an apology');
      outcome = await this.storeAfterFailure(inbound, error);
    }
    this.deps.metrics?.inbound.inc({ channel: inbound.channel, outcome: outcome.result.status });
    for (const flow of outcome.completed) this.deps.metrics?.flowCompletions.inc({ flow });
    await this.deps.dispatcher.dispatchMessages(outcome.outbound, { premarked: true });
    if (outcome.commandMessages.length > 0) await this.deps.dispatcher.dispatchMessages(outcome.commandMessages);
    if (outcome.jobIds.length > 0) await this.deps.dispatcher.dispatchJobs(outcome.jobIds).catch(() => 0);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.deps.metrics?.webhookLatency.observe({ channel: inbound.channel }, seconds);
    return outcome.result;
  }

  private async transact(inbound: InboundMessage, deadline: number): Promise<TurnOutcome> {
    const reference = await this.deps.referenceData.get();
    const fast = await this.fastPath(inbound, reference, deadline);
    if (fast.status === 'done') return fast.outcome;
    for (let attempt = 1; ; attempt++) {
      try {
        const run = async (db: PrismaTransaction) => doneOrBug(await this.runner.receive(db, inbound, reference));
        return await this.inPrismaTransaction(deadline, run);
      } catch (error) {
        // two first messages of the same new person raced to create their contact
        const retryable =
          error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || error.code === 'P2034');
        if (!retryable || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Most messages (a step answered, a keyword, a first contact, a throttled burst, a new
   * request) run on a bare pool client (cheaper than a Prisma interactive transaction: see
   * docs/BENCHMARKS.md), in a group-commit batch (TurnBatcher) when it is on. A turn whose commands
   * need Prisma comes back 'needsPrisma' and runs again in full; the flow is pure, so the
   * second run decides the same.
   */
  private async fastPath(inbound: InboundMessage, reference: ReferenceData, deadline: number): Promise<FastPath> {
    const { turns } = this;
    if (!turns) return { status: 'needsPrisma' };
    const work: BatchWork<TurnOutcome> = async (sql) => {
      const run = await this.runner.receive(sqlTransaction(sql), inbound, reference);
      switch (run.status) {
        case 'done':
          return { status: 'commit', value: run.outcome };
        case 'needsPrisma':
          // its only write so far is the stored message (command writes are deferred, and
          // dropped): undo it, and let the turn run again in a Prisma transaction
          return { status: 'leave', undo: [forgetInboundStatement(run.messageId)] };
        case 'personBusy':
          return { status: 'rollBack', reason: 'person in two turns of one batch' };
      }
    };
    if (this.deps.config.INBOUND_BATCH_MAX > 1) {
      const batched = await turns.run(`${inbound.channel}:${inbound.platformId}`, work, deadline);
      if (batched.status === 'committed') return { status: 'done', outcome: batched.value };
      if (batched.status === 'left') {
        this.deps.metrics?.inboundReruns.inc({ reason: 'needs_prisma' });
        return { status: 'needsPrisma' };
      }
      // rolled back with the rest of its batch, maybe for another turn's sake: run it alone
      this.deps.metrics?.inboundReruns.inc({ reason: 'rolled_back' });
    }
    const alone = await turns.alone(work, deadline);
    if (alone.status === 'committed') return { status: 'done', outcome: alone.value };
    if (alone.status === 'left') return { status: 'needsPrisma' };
    throw new Error('a turn alone in its transaction was rolled back');
  }

  /** Runs `work` in a Prisma transaction bounded like the fast path's (wait limits from the turn's budget). */
  private async inPrismaTransaction<T>(deadline: number, work: (db: PrismaTransaction) => Promise<T>): Promise<T> {
    const left = deadline - Date.now();
    if (left <= 0) throw new TurnTimedOut('budget');
    const limits = { statementMs: left, lockMs: Math.min(this.deps.config.INBOUND_LOCK_TIMEOUT_MS, left) };
    const maxWait = Math.min(this.deps.config.DATABASE_CONNECT_TIMEOUT_MS, left);
    return this.deps.db.$transaction(
      async (tx) => {
        await limitPrismaWaits(tx, limits);
        return work(prismaTransaction(tx));
      },
      { maxWait, timeout: left },
    );
  }

  /**
   * Opens a flow for a person without their input (follow-up check-in, appointment reminder,
   * a question from a volunteer): stores the flow's first prompt in the outbox and the new
   * state, so the person's next message answers it. Runs in its own transaction unless one is
   * given. Returns the messages to dispatch, or null when the person cannot or should not be
   * reached (erased, or paused with "stop").
   */
  async startFlowFor(
    contactId: string,
    flow: string,
    data: FlowState['data'],
    options: { tx?: Tx; step?: string } = {},
  ): Promise<StoredOutbound[] | null> {
    const reference = await this.deps.referenceData.get();
    const run = (tx: Tx) => this.runner.open(prismaTransaction(tx), contactId, flow, data, options.step, reference);
    if (options.tx) return run(options.tx);
    const outbound = await this.deps.db.$transaction(run);
    if (outbound) await this.deps.dispatcher.dispatchMessages(outbound);
    return outbound;
  }

  /**
   * A bug in a flow or a command must not lose the message: store it (unprocessed) with the
   * error code and send the person a short apology, in a transaction of its own.
   */
  private async storeAfterFailure(inbound: InboundMessage, error: unknown): Promise<TurnOutcome> {
    try {
      const failure = errorSummary(error).type;
      return await this.deps.db.$transaction((tx) => this.runner.apologise(prismaTransaction(tx), inbound, failure));
    } catch (second) {
      if (isDatabaseUnavailable(second)) throw new DependencyUnavailable('postgres', second);
      throw second;
    }
  }
}

/** A turn in a Prisma transaction can run every command and is never batched: anything but 'done' is a bug. */
function doneOrBug(run: TurnRun): TurnOutcome {
  if (run.status !== 'done') throw new Error(`a turn in a Prisma transaction ended ${run.status}`);
  return run.outcome;
}
