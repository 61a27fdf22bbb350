import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from 'pino';
import type { DomainCommand } from '../commands/commandTypes.js';
import type { CommandEnv, SqlCommandEnv } from '../commands/commandEnv.js';
import { executeCommand, executeSqlCommand, runsOnSql } from '../commands/commandRegistry.js';
import type { Config } from '../config.js';
import type { AddressGuesses } from '../contacts/addressGuesses.js';
import { resolveIdentity } from '../contacts/contactService.js';
import type { Db, Tx } from '../db.js';
import { DependencyUnavailable, isDatabaseUnavailable, TurnTimedOut, waitTimedOut } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import { LANGUAGES, RTL_LANGUAGES } from '../i18n/i18n.js';
import { inboundMessageSchema, type InboundMessage } from '../messages/messageTypes.js';
import type { Metrics } from '../metrics.js';
import { errorSummary, type DispatchableMessage, type OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import type { Secrets } from '../secrets.js';
import type { FlowContext, FlowInput, FlowState, Reply } from '../../flows/engine/flowTypes.js';
import type { KeywordTable } from '../../flows/engine/parseInput.js';
import { renderReplies, type CommandValues } from '../../flows/engine/renderReplies.js';
import { runTurn, startFlow, type FlowRegistry } from '../../flows/engine/runTurn.js';
import { readConversationRecord, type ConversationRecord } from './conversationRecord.js';
import {
  CODE_ENTERED,
  forgetInboundStatement,
  redactInboundStatement,
  storeInboundAndLock,
  touchLastSeen,
  writeTurn,
} from './inboundSql.js';
import { prismaRunner, wholeMs, type SqlRunner, type WaitLimits } from '../db/sqlRunner.js';
import type pg from 'pg';
import type { ReferenceDataCache } from './referenceData.js';
import { BatchAborted, LeaveBatch, TurnBatcher } from './turnBatcher.js';
import { decideFlood, forgetHeldCopy, holdMessage } from './deferredTurns.js';

export interface InboundDeps {
  db: Db;
  secrets: Secrets;
  i18n: I18n;
  registry: FlowRegistry;
  keywords: KeywordTable;
  config: Config;
  log: Logger;
  dispatcher: OutboxDispatcher;
  referenceData: ReferenceDataCache;
  metrics?: Metrics;
  /** the pool Prisma uses too: turns without domain commands run on it directly (4x cheaper) */
  pool?: pg.Pool;
  /** wrong reconnection codes per client address (Redis); without it addresses are not counted */
  addressGuesses?: AddressGuesses;
}

/** Where a turn's statements run: always SQL, and a Prisma transaction when commands may run. */
interface TurnScope {
  sql: SqlRunner;
  tx: Tx | null;
}

/** What the turn knows about the person; domain commands get it with the transaction added. */
type TurnEnv = SqlCommandEnv;

/** Thrown inside the fast path when the turn needs Prisma (new person, domain commands). */
class NeedsFullTransaction extends Error {
  /** the inbound message the turn stored before it found out */
  constructor(readonly messageId: string) {
    super('the turn needs a Prisma transaction');
  }
}

export type ReceiveResult =
  | { status: 'accepted'; messageId: string; contactId: string; outbound: number }
  | { status: 'duplicate' }
  | { status: 'throttled'; messageId: string; contactId: string };

interface TxOutcome {
  result: ReceiveResult;
  outbound: Array<{ id: string; channel: string; identityId: string | null }>;
  jobIds: string[];
  completed: string[];
  /** messages domain commands wrote to the person's other accounts (not premarked as queued) */
  commandMessages?: DispatchableMessage[];
}

const MAX_EVENT_ROUNDS = 3;
const LAST_SEEN_RESOLUTION_MS = 3_600_000;

/**
 * The one entry point of every channel. De-duplicates by (channel, platform update id),
 * stores the inbound message, runs the flow and commits the new state, the domain effects
 * and the outbound messages in one transaction; only then may the adapter acknowledge.
 * Throws DependencyUnavailable when Postgres is down (the adapter answers 503 so the
 * platform retries); any other failure still stores the message and apologises.
 */
export class InboundService {
  /** the fast path's transactions, batched or alone; none without a pool (Prisma only) */
  private readonly turns: TurnBatcher | null;

  constructor(private readonly deps: InboundDeps) {
    const { pool, config } = deps;
    this.turns = pool
      ? new TurnBatcher(pool, {
          maxSize: config.INBOUND_BATCH_MAX,
          concurrency: config.INBOUND_BATCH_CONCURRENCY,
          prepare: config.DATABASE_PREPARED_STATEMENTS,
          queueWaitMs: config.DATABASE_CONNECT_TIMEOUT_MS,
          lockTimeoutMs: config.INBOUND_LOCK_TIMEOUT_MS,
        })
      : null;
  }

  async receive(raw: InboundMessage): Promise<ReceiveResult> {
    const inbound = inboundMessageSchema.parse(raw);
    const started = process.hrtime.bigint();
    // the turn's waits end before the webhook's timeouts: then 503, and the platform retries
    const deadline = Date.now() + this.deps.config.INBOUND_TURN_TIMEOUT_MS;
    let outcome: TxOutcome;
    try {
      outcome = await this.transact(inbound, deadline);
    } catch (error) {
      if (error instanceof TurnTimedOut) throw error;
      const waited = waitTimedOut(error);
      // rolled back: nothing of the turn is stored, so it must not be stored "after failure" either
      if (waited) throw new TurnTimedOut(waited, error);
      if (isDatabaseUnavailable(error)) throw new DependencyUnavailable('postgres', error);
      this.deps.log.error({ err: errorSummary(error), channel: inbound.channel }, 'flow failed; storing the message with an apology');
      outcome = await this.storeAfterFailure(inbound, error);
    }
    this.deps.metrics?.inbound.inc({ channel: inbound.channel, outcome: outcome.result.status });
    for (const flow of outcome.completed) this.deps.metrics?.flowCompletions.inc({ flow });
    await this.deps.dispatcher.dispatchMessages(outcome.outbound, { premarked: true });
    if (outcome.commandMessages?.length) await this.deps.dispatcher.dispatchMessages(outcome.commandMessages);
    if (outcome.jobIds.length > 0) await this.deps.dispatcher.dispatchJobs(outcome.jobIds).catch(() => 0);
    this.deps.metrics?.webhookLatency.observe({ channel: inbound.channel }, Number(process.hrtime.bigint() - started) / 1e9);
    return outcome.result;
  }

  private async transact(inbound: InboundMessage, deadline: number): Promise<TxOutcome> {
    const reference = await this.deps.referenceData.get();
    const fast = await this.fastPath(inbound, reference, deadline);
    if (fast) return fast;
    for (let attempt = 1; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TurnTimedOut('budget');
      const lockMs = Math.min(this.deps.config.INBOUND_LOCK_TIMEOUT_MS, left);
      const limits: WaitLimits = { statementMs: left, lockMs };
      const maxWait = Math.min(this.deps.config.DATABASE_CONNECT_TIMEOUT_MS, left);
      try {
        return await this.deps.db.$transaction(
          async (tx) => {
            await limitWaits(tx, limits);
            return this.process({ sql: prismaRunner(tx), tx }, inbound, reference);
          },
          { maxWait, timeout: left },
        );
      } catch (error) {
        // two first messages of the same new person raced to create their contact
        const retryable = error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || error.code === 'P2034');
        if (!retryable || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Most messages (a step answered, a keyword, a throttled burst) need no domain command: run
   * them on a bare pool client, which measured 4x cheaper than a Prisma interactive
   * transaction, in a group-commit batch (TurnBatcher) when it is on. A turn that turns out to
   * need Prisma returns null and runs again in full; the flow is pure, so the second run
   * decides the same.
   */
  private async fastPath(
    inbound: InboundMessage,
    reference: FlowContext['reference'],
    deadline: number,
  ): Promise<TxOutcome | null> {
    const { turns } = this;
    if (!turns) return null;
    const turn = (sql: SqlRunner) => this.process({ sql, tx: null }, inbound, reference);
    try {
      if (this.deps.config.INBOUND_BATCH_MAX > 1) {
        try {
          return await turns.run(`${inbound.channel}:${inbound.platformId}`, (sql) =>
            turn(sql).catch((error: unknown) => {
              // its only write so far is the stored message (command writes are deferred, and
              // dropped): undo it, and let the turn run again in a Prisma transaction
              if (error instanceof NeedsFullTransaction) throw new LeaveBatch([forgetInboundStatement(error.messageId)]);
              throw error;
            }),
            deadline,
          );
        } catch (error) {
          // rolled back with the rest of its batch, maybe for another turn's sake: run it alone
          if (!(error instanceof BatchAborted)) throw error;
          this.deps.metrics?.inboundReruns.inc({ reason: 'rolled_back' });
        }
      }
      return await turns.alone(turn, deadline);
    } catch (error) {
      if (error instanceof LeaveBatch) this.deps.metrics?.inboundReruns.inc({ reason: 'needs_prisma' });
      if (error instanceof NeedsFullTransaction || error instanceof LeaveBatch) return null;
      throw error;
    }
  }

  private async process(scope: TurnScope, inbound: InboundMessage, reference: FlowContext['reference']): Promise<TxOutcome> {
    const { config, secrets } = this.deps;
    const now = inbound.receivedAt;
    const platformIdHash = secrets.hash(`${inbound.channel}:${inbound.platformId}`);
    const key = { channel: inbound.channel, platformIdHash, dedupeKey: inbound.dedupeKey, content: inbound.content, receivedAt: now };
    // first message of a new person: create their pseudonymous contact (or wait for the
    // concurrent first message that is creating it) in the same trip as the store
    const locked = (await storeInboundAndLock(scope.sql, key)) ?? (await storeInboundAndLock(scope.sql, { ...key, addressCipher: secrets.encrypt(inbound.platformId) }));
    if (!locked) throw new Error('identity neither created nor found');
    // the person's lock is this transaction's already: another turn in it holds their state
    if (!scope.sql.claim(locked.contactId)) throw new BatchAborted('person in two turns of one batch');
    if (!locked?.messageId) return { result: { status: 'duplicate' }, outbound: [], jobIds: [], completed: [] };
    const messageId = locked.messageId;
    const identity = { identityId: locked.identityId, contactId: locked.contactId, language: locked.language, kind: locked.kind, associationId: locked.associationId, consented: locked.consentAt !== null, lastSeenAt: locked.lastSeenAt };
    const record = locked.expiresAt && locked.expiresAt > now ? readConversationRecord(locked.state) : null;
    const windowMs = config.FLOOD_WINDOW_SECONDS * 1000;
    const decision = decideFlood(record?.flood, now, config.FLOOD_MAX_PER_MINUTE, windowMs, inbound.heldMessageId !== undefined);
    const { flood } = decision;

    const language = identity.language ?? this.hintLanguage(inbound.languageHint);
    const env: TurnEnv = { config, secrets, i18n: this.deps.i18n, now, channel: inbound.channel, identityId: identity.identityId, contactId: identity.contactId, inboundMessageId: messageId, language, ...this.guessAddress(inbound) };

    // beyond the flood limit a message is kept and played back in order later (deferredTurns.ts)
    if (decision.hold) {
      const holding = { messageId, contactId: identity.contactId, schedule: decision.notify, replayAt: decision.replayAt };
      const jobIds = await holdMessage(scope.sql, holding);
      const replies: Reply[] = decision.notify ? [{ key: 'common:too_many_messages' }] : [];
      const outbound = await this.storeTurn(scope.sql, env, replies, {}, record ? { flow: record.flow, flood } : null);
      return { result: { status: 'throttled', messageId, contactId: identity.contactId }, outbound, jobIds, completed: [] };
    }
    if (inbound.heldMessageId) await forgetHeldCopy(scope.sql, inbound.heldMessageId);

    const ctx: FlowContext = {
      now,
      language,
      contact: { id: identity.contactId, kind: identity.kind, language: identity.language, associationId: identity.associationId, consented: identity.consented },
      reference,
      settings: { languages: LANGUAGES, rtlLanguages: RTL_LANGUAGES, rechargeQuota: { count: config.RECHARGE_QUOTA_COUNT, days: config.RECHARGE_QUOTA_DAYS } },
      commandId: (name) => `${messageId}:${name}`,
    };

    let state: FlowState | null = record?.flow ?? null;
    let input: FlowInput = inbound.content;
    const replies: Reply[] = [];
    const values: CommandValues = {};
    const completed: string[] = [];
    const jobIds: string[] = [];
    const commandMessages: DispatchableMessage[] = [];
    for (let round = 0; round < MAX_EVENT_ROUNDS; round++) {
      const turn = runTurn(this.deps.registry, this.deps.keywords, state, input, ctx);
      // what the person typed at a step that reads a secret (a code) is kept only as "entered"
      if (turn.redactInput) await scope.sql.defer(redactInboundStatement(messageId));
      state = turn.state;
      replies.push(...turn.replies);
      completed.push(...turn.completed);
      const event = await this.runCommands(scope, turn.commands, env, values, jobIds, commandMessages);
      if (!event) break;
      input = { kind: 'event', name: event.name, data: event.data };
      ctx.contact = { ...ctx.contact, id: env.contactId, language: env.language };
    }

    if (now.getTime() - identity.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS && env.contactId === identity.contactId) {
      await touchLastSeen(scope.sql, identity.contactId, identity.identityId, now);
    }
    // the turn's last statement: on the fast path it commits in the same trip
    const outbound = await this.storeTurn(scope.sql, env, replies, values, state ? { flow: state, flood } : null);
    return { result: { status: 'accepted', messageId, contactId: env.contactId, outbound: outbound.length }, outbound, jobIds, completed, commandMessages };
  }

  /** The client address (web chat) as a keyed hash, for counting wrong codes per address; never stored. */
  private guessAddress(inbound: InboundMessage): Pick<TurnEnv, 'guessAddress'> {
    const guesses = this.deps.addressGuesses;
    if (!guesses || !inbound.clientAddress) return {};
    return { guessAddress: { key: this.deps.secrets.hash(`address:${inbound.clientAddress}`), guesses } };
  }

  private async runCommands(scope: TurnScope, commands: DomainCommand[], env: TurnEnv, values: CommandValues, jobIds: string[], messages: DispatchableMessage[]) {
    let event: { name: string; data: Record<string, unknown> } | undefined;
    if (commands.length === 0) return event;
    const { tx } = scope;
    if (!tx && !commands.every(runsOnSql)) throw new NeedsFullTransaction(env.inboundMessageId);
    for (const command of commands) {
      // the same env object, so what a command changes (contact id, language) the rest of the turn sees
      const outcome = tx ? await executeCommand(command, Object.assign(env, { tx })) : await executeSqlCommand(command, env, scope.sql);
      const key = 'id' in command ? command.id : command.type;
      if (outcome.values) values[key] = outcome.values;
      if (outcome.jobIds) jobIds.push(...outcome.jobIds);
      if (outcome.messages) messages.push(...outcome.messages);
      if (outcome.event) event = outcome.event;
    }
    return event;
  }

  private hintLanguage(hint: string | undefined): string {
    const base = hint?.toLowerCase().split(/[-_]/)[0];
    if (base && this.deps.i18n.supports(base)) return base;
    return this.deps.config.DEFAULT_LANGUAGE;
  }

  /** Renders the replies in the person's (possibly just changed) language, writes them to the outbox and saves the conversation. */
  private async storeTurn(sql: SqlRunner, env: TurnEnv, replies: Reply[], values: CommandValues, record: ConversationRecord | null) {
    const { i18n, config } = this.deps;
    const base = { messageDays: config.MESSAGE_RETENTION_DAYS, requestDays: config.REQUEST_RETENTION_DAYS };
    const rendered = renderReplies(replies, (key, params) => i18n.t(env.language, key, { ...base, ...params }), i18n.isRtl(env.language), values);
    // a turn that stays on its step without a new prompt ("✅ Sent." in the volunteer chat)
    // keeps the step's choices: its buttons are still on screen and must still work
    // (entering a step clears them in the engine)
    if (record && rendered.choices.length > 0) record.flow.choices = rendered.choices;
    if (rendered.messages.length === 0 && !record) return [];
    const expiresAt = new Date(env.now.getTime() + config.CONVERSATION_TTL_HOURS * 3_600_000);
    return writeTurn(sql, {
      channel: env.channel,
      identityId: env.identityId,
      contactId: env.contactId,
      contents: rendered.messages,
      ...(record ? { conversation: { state: JSON.stringify(record), expiresAt } } : {}),
    });
  }

  /** Renders replies in the person's (possibly just changed) language and writes them to the outbox. */
  private async storeReplies(tx: Tx, env: CommandEnv, replies: Reply[], values: CommandValues, channel: InboundMessage['channel'], state?: FlowState | null) {
    if (replies.length === 0) return [];
    const { i18n, config } = this.deps;
    const base = { messageDays: config.MESSAGE_RETENTION_DAYS, requestDays: config.REQUEST_RETENTION_DAYS };
    const rendered = renderReplies(replies, (key, params) => i18n.t(env.language, key, { ...base, ...params }), i18n.isRtl(env.language), values);
    if (state) state.choices = rendered.choices;
    const rows = await tx.message.createManyAndReturn({
      data: rendered.messages.map((content) => ({ channel, direction: 'OUTBOUND' as const, status: 'PENDING' as const, identityId: env.identityId, contactId: env.contactId, content })),
      select: { id: true, channel: true, identityId: true },
    });
    return rows;
  }

  private async saveConversation(tx: Tx, contactId: string, record: ConversationRecord, now: Date) {
    const expiresAt = new Date(now.getTime() + this.deps.config.CONVERSATION_TTL_HOURS * 3_600_000);
    const json = JSON.stringify(record);
    await tx.$executeRaw`
      INSERT INTO "Conversation" (id, "contactId", state, "expiresAt", "updatedAt")
      VALUES (gen_random_uuid(), ${contactId}::uuid, ${json}::jsonb, ${expiresAt}, now())
      ON CONFLICT ("contactId") DO UPDATE SET state = EXCLUDED.state, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = now()`;
  }

  /**
   * Opens a flow for a person without their input (follow-up check-in, appointment reminder,
   * a question from a volunteer): stores the flow's first prompt in the outbox and the new
   * state, so the person's next message answers it. Runs in its own transaction unless one is
   * given. Returns the messages to dispatch, or null when the person cannot or should not be
   * reached (erased, or paused with "stop").
   */
  async startFlowFor(contactId: string, flow: string, data: FlowState['data'], options: { tx?: Tx; step?: string } = {}) {
    const reference = await this.deps.referenceData.get();
    const run = async (tx: Tx) => {
      const rows = await tx.$queryRaw<Array<{ language: string | null; kind: 'BENEFICIARY' | 'DONOR'; associationId: string | null; consentAt: Date | null; status: string }>>`
        SELECT c.language, c.kind, c."associationId", c."consentAt", c.status FROM "Contact" c WHERE c.id = ${contactId}::uuid FOR UPDATE OF c`;
      const locked = rows[0];
      if (!locked || locked.status !== 'ACTIVE' || locked.language === null) return null;
      // read after the lock (see storeInboundAndLock): the state the person's last message left
      const [conversation] = await tx.$queryRaw<Array<{ state: unknown; expiresAt: Date }>>`
        SELECT state, "expiresAt" FROM "Conversation" WHERE "contactId" = ${contactId}::uuid`;
      const row = { ...locked, language: locked.language, state: conversation?.state ?? null, expiresAt: conversation?.expiresAt ?? null };
      const identity = await tx.channelIdentity.findFirst({ where: { contactId }, orderBy: { lastSeenAt: 'desc' }, select: { id: true, channel: true } });
      if (!identity) return null;
      const now = new Date();
      const record = row.expiresAt && row.expiresAt > now ? readConversationRecord(row.state) : null;
      const { config, secrets } = this.deps;
      const ctx: FlowContext = {
        now,
        language: row.language,
        contact: { id: contactId, kind: row.kind, language: row.language, associationId: row.associationId, consented: row.consentAt !== null },
        reference,
        settings: { languages: LANGUAGES, rtlLanguages: RTL_LANGUAGES, rechargeQuota: { count: config.RECHARGE_QUOTA_COUNT, days: config.RECHARGE_QUOTA_DAYS } },
        commandId: (name) => `${contactId}:${now.getTime()}:${name}`,
      };
      const turn = startFlow(this.deps.registry, record?.flow ?? null, flow, data, ctx, options.step);
      if (!turn) return null;
      const env: CommandEnv = { tx, config, secrets, i18n: this.deps.i18n, now, channel: identity.channel, identityId: identity.id, contactId, inboundMessageId: '', language: row.language };
      const outbound = await this.storeReplies(tx, env, turn.replies, {}, identity.channel, turn.state);
      await this.saveConversation(tx, contactId, { flow: turn.state, flood: record?.flood ?? { windowStart: now.getTime(), count: 0 } }, now);
      return outbound;
    };
    if (options.tx) return run(options.tx);
    const outbound = await this.deps.db.$transaction(run);
    if (outbound) await this.deps.dispatcher.dispatchMessages(outbound);
    return outbound;
  }

  /** Whether a text answers a step that reads a secret (a code): a failed turn must not keep it either. */
  private async atSecretStep(tx: Tx, contactId: string, inbound: InboundMessage): Promise<boolean> {
    if (inbound.content.kind !== 'text') return false;
    const conversation = await tx.conversation.findUnique({ where: { contactId }, select: { state: true, expiresAt: true } });
    const flow = conversation && conversation.expiresAt > inbound.receivedAt ? readConversationRecord(conversation.state)?.flow : undefined;
    return flow ? this.deps.registry.get(flow.flow)?.steps[flow.step]?.secretInput === true : false;
  }

  /**
   * A bug in a flow or a command must not lose the message: store it (unprocessed) with the
   * error code and send the person a short apology, in a transaction of its own.
   */
  private async storeAfterFailure(inbound: InboundMessage, error: unknown): Promise<TxOutcome> {
    const { db, secrets } = this.deps;
    try {
      return await db.$transaction(async (tx) => {
        const identity = await resolveIdentity(tx, secrets, inbound.channel, inbound.platformId);
        const content = (await this.atSecretStep(tx, identity.contactId, inbound)) ? CODE_ENTERED : inbound.content;
        const stored = await tx.message.createManyAndReturn({
          data: [{ channel: inbound.channel, direction: 'INBOUND', status: 'RECEIVED', dedupeKey: inbound.dedupeKey, identityId: identity.identityId, contactId: identity.contactId, content, createdAt: inbound.receivedAt, lastError: errorSummary(error).type }],
          skipDuplicates: true,
          select: { id: true },
        });
        const messageId = stored[0]?.id;
        if (!messageId) return { result: { status: 'duplicate' }, outbound: [], jobIds: [], completed: [] };
        const language = identity.language ?? this.hintLanguage(inbound.languageHint);
        const env = { tx, config: this.deps.config, secrets, i18n: this.deps.i18n, now: inbound.receivedAt, channel: inbound.channel, identityId: identity.identityId, contactId: identity.contactId, inboundMessageId: messageId, language };
        const outbound = await this.storeReplies(tx, env, [{ key: 'common:error' }], {}, inbound.channel);
        return { result: { status: 'accepted', messageId, contactId: identity.contactId, outbound: outbound.length }, outbound, jobIds: [], completed: [] };
      });
    } catch (second) {
      if (isDatabaseUnavailable(second)) throw new DependencyUnavailable('postgres', second);
      throw second;
    }
  }
}

/** The turn's wait limits in a Prisma transaction (the fast path sends them with its BEGIN). */
async function limitWaits(tx: Tx, limits: WaitLimits): Promise<void> {
  const lock = wholeMs(limits.lockMs);
  const statement = wholeMs(limits.statementMs);
  await tx.$queryRaw`SELECT set_config('lock_timeout', ${lock}, true),
    set_config('statement_timeout', ${statement}, true)`;
}
