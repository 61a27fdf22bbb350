import type { TurnEnv } from '../commands/commandEnv.js';
import { executeCommand, runsIn } from '../commands/commandRegistry.js';
import type { DomainCommand } from '../commands/commandTypes.js';
import type { Config } from '../config.js';
import type { AddressGuesses } from '../contacts/addressGuesses.js';
import { renderReplies, type CommandValues } from '../conversation/renderReplies.js';
import type { TurnEngine } from '../conversation/turnEngine.js';
import type {
  FlowContact,
  FlowContext,
  FlowData,
  FlowInput,
  FlowState,
  ReferenceData,
  Reply,
} from '../conversation/turnTypes.js';
import type { PrismaTransaction, Transaction } from '../db/transaction.js';
import { LANGUAGES, RTL_LANGUAGES, type I18n } from '../i18n/i18n.js';
import type { InboundMessage, OutboundContent } from '../messages/messageTypes.js';
import { FOLLOW_UP_FLOWS, VOLUNTEER_CHAT } from '../proactiveFlows.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import type { Secrets } from '../secrets.js';
import { readConversationRecord, type ConversationRecord } from './conversationRecord.js';
import { decideFlood } from './floodCheck.js';
import { forgetHeldCopy, holdMessage } from './heldMessagesSql.js';
import {
  lockPerson,
  redactInboundStatement,
  storeInboundAndLock,
  touchLastSeen,
  writeTurn,
  type LockedTurn,
  type StoredOutbound,
} from './turnStoreSql.js';
import type { TurnOutcome, TurnRun } from './turnResults.js';

export interface TurnRunnerDeps {
  engine: TurnEngine;
  i18n: I18n;
  config: Config;
  secrets: Secrets;
  /** wrong reconnection codes per client address (Redis); without it addresses are not counted */
  addressGuesses?: AddressGuesses;
}

const MAX_EVENT_ROUNDS = 3;
const LAST_SEEN_RESOLUTION_MS = 3_600_000;

/** What the event rounds of a turn produced. */
interface Rounds {
  state: FlowState | null;
  replies: Reply[];
  values: CommandValues;
  completed: string[];
  jobIds: string[];
  messages: DispatchableMessage[];
}

/**
 * The one implementation of a turn, whichever transaction it runs in: the inbound fast path
 * (a bare pg client, possibly batched with other turns) and the full Prisma transaction differ
 * only in the Transaction they give it. Steps: store the message and lock the person (creating
 * them on first contact), the flood check, the flow context, the event rounds (the engine, then
 * the domain commands, whose events feed the next round), and the write of replies and state.
 */
export class TurnRunner {
  constructor(private readonly deps: TurnRunnerDeps) {}

  /** One inbound message's turn in `db`. */
  async receive(db: Transaction, inbound: InboundMessage, reference: ReferenceData): Promise<TurnRun> {
    const { config } = this.deps;
    const now = inbound.receivedAt;
    const locked = await this.storeAndLock(db, inbound);
    // the person's lock is this transaction's already: another turn in it holds their state
    if (!db.sql.claim(locked.contactId)) return { status: 'personBusy' };
    if (!locked.messageId) return { status: 'done', outcome: duplicate() };
    const messageId = locked.messageId;
    const record = liveRecord(locked, now);
    const env = this.turnEnv(inbound, locked, messageId);

    // beyond the flood limit a message is kept and played back in order later (heldReplayTask.ts)
    const windowMs = config.FLOOD_WINDOW_SECONDS * 1000;
    const replay = inbound.heldMessageId !== undefined;
    const flood = decideFlood(record?.flood, now, config.FLOOD_MAX_PER_MINUTE, windowMs, replay);
    if (flood.hold) {
      const holding = { messageId, contactId: env.contactId, schedule: flood.notify, replayAt: flood.replayAt };
      const jobIds = await holdMessage(db.sql, holding);
      const replies: Reply[] = flood.notify ? [{ key: 'common:too_many_messages' }] : [];
      const saved = record ? { flow: record.flow, flood: flood.flood } : null;
      const outbound = await this.writeReplies(db, env, replies, {}, saved, true);
      const result = { status: 'throttled' as const, messageId, contactId: env.contactId };
      return { status: 'done', outcome: { result, outbound, jobIds, completed: [], commandMessages: [] } };
    }
    if (inbound.heldMessageId) await forgetHeldCopy(db.sql, inbound.heldMessageId);

    const contact: FlowContact = {
      id: locked.contactId,
      kind: locked.kind,
      language: locked.language,
      associationId: locked.associationId,
      consented: locked.consentAt !== null,
    };
    const ctx = this.flowContext(now, env.language, contact, reference, (name) => `${messageId}:${name}`);
    const rounds = await this.eventRounds(db, record?.flow ?? null, inbound.content, ctx, env);
    if (rounds === 'needsPrisma') return { status: 'needsPrisma', messageId };

    if (now.getTime() - locked.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS && env.contactId === locked.contactId) {
      await touchLastSeen(db.sql, locked.contactId, locked.identityId, now);
    }
    // the turn's last statement: on the fast path it commits in the same trip
    const saved = rounds.state ? { flow: rounds.state, flood: flood.flood } : null;
    const outbound = await this.writeReplies(db, env, rounds.replies, rounds.values, saved, true);
    const result = { status: 'accepted' as const, messageId, contactId: env.contactId, outbound: outbound.length };
    const { jobIds, completed, messages } = rounds;
    return { status: 'done', outcome: { result, outbound, jobIds, completed, commandMessages: messages } };
  }

  /**
   * A turn that failed (a bug in a flow or a command) must not lose the message: stored
   * unprocessed with the error code (only as "a code was entered" at a step that reads a
   * secret), and the person gets a short apology. Runs in a transaction of its own.
   */
  async apologise(db: Transaction, inbound: InboundMessage, failure: string): Promise<TurnOutcome> {
    const locked = await this.storeAndLock(db, inbound, failure);
    if (!locked.messageId) return duplicate();
    const messageId = locked.messageId;
    const record = liveRecord(locked, inbound.receivedAt);
    const typedSecret = inbound.content.kind === 'text' && record !== null && this.deps.engine.readsSecret(record.flow);
    if (typedSecret) await db.sql.defer(redactInboundStatement(messageId));
    const env = this.turnEnv(inbound, locked, messageId);
    const outbound = await this.writeReplies(db, env, [{ key: 'common:error' }], {}, null, true);
    const result = { status: 'accepted' as const, messageId, contactId: locked.contactId, outbound: outbound.length };
    return { result, outbound, jobIds: [], completed: [], commandMessages: [] };
  }

  /**
   * Opens a flow for a person without their input: its first prompt goes to the outbox (not
   * marked as queued: the caller dispatches after its commit) and its state is saved, so the
   * person's next message answers it. Null when the person cannot or should not be reached
   * (erased, paused with "stop", no language or no account yet).
   */
  async open(
    db: PrismaTransaction,
    contactId: string,
    flow: string,
    data: FlowData,
    step: string | undefined,
    reference: ReferenceData,
  ): Promise<StoredOutbound[] | null> {
    const person = await lockPerson(db.sql, contactId);
    const language = person?.contact.language;
    if (person?.contact.status !== 'ACTIVE' || !language || !person.identity) return null;
    const now = new Date();
    const { conversation } = person;
    const record = conversation && conversation.expiresAt > now ? readConversationRecord(conversation.state) : null;
    const { contact, identity } = person;
    const flowContact: FlowContact = {
      id: contactId,
      kind: contact.kind,
      language,
      associationId: contact.associationId,
      consented: contact.consentAt !== null,
    };
    const commandId = (name: string) => `${contactId}:${now.getTime()}:${name}`;
    const ctx = this.flowContext(now, language, flowContact, reference, commandId);
    const turn = this.deps.engine.start(record?.flow ?? null, flow, data, ctx, step);
    if (!turn) return null;
    const env = { now, channel: identity.channel, identityId: identity.id, contactId, language };
    const saved = { flow: turn.state, flood: record?.flood ?? { windowStart: now.getTime(), count: 0 } };
    return this.writeReplies(db, env, turn.replies, {}, saved, false, proactiveKind(flow));
  }

  /**
   * Stores the message and locks its sender; a new person gets their pseudonymous contact (or
   * waits for the concurrent first message that is creating it) in the same trip as the store.
   */
  private async storeAndLock(db: Transaction, inbound: InboundMessage, failure?: string): Promise<LockedTurn> {
    const { secrets } = this.deps;
    const platformIdHash = secrets.hash(`${inbound.channel}:${inbound.platformId}`);
    const { channel, dedupeKey, content, receivedAt } = inbound;
    const failed = failure === undefined ? {} : { failure };
    const key = { channel, platformIdHash, dedupeKey, content, receivedAt, ...failed };
    const locked =
      (await storeInboundAndLock(db.sql, key)) ??
      (await storeInboundAndLock(db.sql, { ...key, addressCipher: secrets.encrypt(inbound.platformId) }));
    if (!locked) throw new Error('identity neither created nor found');
    return locked;
  }

  /** What commands of the turn know about it (one object: what a command changes, the rest of the turn sees). */
  private turnEnv(inbound: InboundMessage, locked: LockedTurn, messageId: string): TurnEnv {
    const { config, secrets, i18n } = this.deps;
    const language = locked.language ?? this.hintLanguage(inbound.languageHint);
    const { identityId, contactId } = locked;
    const base = { config, secrets, i18n, now: inbound.receivedAt, channel: inbound.channel, identityId, contactId };
    return { ...base, inboundMessageId: messageId, language, ...this.guessAddress(inbound) };
  }

  /** Everything a flow may look at in this turn. */
  private flowContext(
    now: Date,
    language: string,
    contact: FlowContact,
    reference: ReferenceData,
    commandId: (name: string) => string,
  ): FlowContext {
    const { config } = this.deps;
    const rechargeQuota = { count: config.RECHARGE_QUOTA_COUNT, days: config.RECHARGE_QUOTA_DAYS };
    const settings = { languages: LANGUAGES, rtlLanguages: RTL_LANGUAGES, rechargeQuota };
    return { now, language, contact, reference, settings, commandId };
  }

  /**
   * The engine, then the commands it asked for; a command's event is the input of the next
   * round. 'needsPrisma' as soon as a command cannot run in this transaction.
   */
  private async eventRounds(
    db: Transaction,
    stored: FlowState | null,
    first: FlowInput,
    ctx: FlowContext,
    env: TurnEnv,
  ): Promise<Rounds | 'needsPrisma'> {
    const rounds: Rounds = { state: stored, replies: [], values: {}, completed: [], jobIds: [], messages: [] };
    let input = first;
    for (let round = 0; round < MAX_EVENT_ROUNDS; round++) {
      const turn = this.deps.engine.run(rounds.state, input, ctx);
      // what the person typed at a step that reads a secret (a code) is kept only as "entered"
      if (turn.redactInput) await db.sql.defer(redactInboundStatement(env.inboundMessageId));
      rounds.state = turn.state;
      rounds.replies.push(...turn.replies);
      rounds.completed.push(...turn.completed);
      if (!runsIn(db.kind, turn.commands)) return 'needsPrisma';
      const event = await this.runCommands(db, turn.commands, env, rounds);
      if (!event) break;
      input = { kind: 'event', name: event.name, data: event.data };
      ctx.contact = { ...ctx.contact, id: env.contactId, language: env.language };
    }
    return rounds;
  }

  private async runCommands(db: Transaction, commands: DomainCommand[], env: TurnEnv, rounds: Rounds) {
    let event: { name: string; data: Record<string, unknown> } | undefined;
    for (const command of commands) {
      const outcome = await executeCommand(command, env, db);
      const key = 'id' in command ? command.id : command.type;
      if (outcome.values) rounds.values[key] = outcome.values;
      if (outcome.jobIds) rounds.jobIds.push(...outcome.jobIds);
      if (outcome.messages) rounds.messages.push(...outcome.messages);
      if (outcome.event) event = outcome.event;
    }
    return event;
  }

  /**
   * Renders the replies in the person's (possibly just changed) language, writes them to the
   * outbox and saves the conversation (`record`, when there is one), in one statement.
   */
  private async writeReplies(
    db: Transaction,
    env: Pick<TurnEnv, 'now' | 'channel' | 'identityId' | 'contactId' | 'language'>,
    replies: Reply[],
    values: CommandValues,
    record: ConversationRecord | null,
    queued: boolean,
    kind?: OutboundContent['kind'],
  ): Promise<StoredOutbound[]> {
    const { i18n, config } = this.deps;
    const base = { messageDays: config.MESSAGE_RETENTION_DAYS, requestDays: config.REQUEST_RETENTION_DAYS };
    const translate = (key: string, params?: Record<string, string | number>) =>
      i18n.t(env.language, key, { ...base, ...params });
    const rendered = renderReplies(replies, translate, i18n.isRtl(env.language), values);
    // a turn that stays on its step without a new prompt ("✅ Sent." in the volunteer chat)
    // keeps the step's choices: its buttons are still on screen and must still work
    // (entering a step clears them in the engine)
    if (record && rendered.choices.length > 0) record.flow.choices = rendered.choices;
    if (rendered.messages.length === 0 && !record) return [];
    const expiresAt = new Date(env.now.getTime() + config.CONVERSATION_TTL_HOURS * 3_600_000);
    const conversation = record ? { conversation: { state: JSON.stringify(record), expiresAt } } : {};
    const { channel, identityId, contactId } = env;
    const contents = kind ? rendered.messages.map((content) => ({ ...content, kind })) : rendered.messages;
    return writeTurn(db.sql, { channel, identityId, contactId, contents, queued, ...conversation });
  }

  private hintLanguage(hint: string | undefined): string {
    const base = hint?.toLowerCase().split(/[-_]/)[0];
    if (base && this.deps.i18n.supports(base)) return base;
    return this.deps.config.DEFAULT_LANGUAGE;
  }

  /** The client address (web chat) as a keyed hash, for counting wrong codes per address; never stored. */
  private guessAddress(inbound: InboundMessage): Pick<TurnEnv, 'guessAddress'> {
    const guesses = this.deps.addressGuesses;
    if (!guesses || !inbound.clientAddress) return {};
    return { guessAddress: { key: this.deps.secrets.hash(`address:${inbound.clientAddress}`), guesses } };
  }
}

/** The conversation as the person's last message left it, unless it expired (or cannot be read: then it restarts). */
function liveRecord(locked: LockedTurn, now: Date): ConversationRecord | null {
  return locked.expiresAt && locked.expiresAt > now ? readConversationRecord(locked.state) : null;
}

/** What a message the core writes first is (a channel may need a template for it: OutboundContent.kind). */
function proactiveKind(flow: string): OutboundContent['kind'] {
  if (flow === FOLLOW_UP_FLOWS.CHECKIN) return 'checkIn';
  if (flow === FOLLOW_UP_FLOWS.APPOINTMENT_REMINDER) return 'appointmentReminder';
  if (flow === VOLUNTEER_CHAT.flow) return 'staffReply';
  return 'notice';
}

function duplicate(): TurnOutcome {
  return { result: { status: 'duplicate' }, outbound: [], jobIds: [], completed: [], commandMessages: [] };
}
