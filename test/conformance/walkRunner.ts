import { expect } from 'vitest';
import { sendStaffReply } from '../../src/core/requests/staffReply.js';
import { eventually } from '../support/testRelais.js';
import { inDigits, type ExpectedReply, type Walk, type WalkStep } from '../support/walks.js';
import type { ChannelDriver, ChannelPerson, ChannelReply } from './channelDriver.js';

/** counts tried for a text with plural forms (the walk does not say how many) */
const PLURAL_COUNTS = [0, 1, 2, 3, 5, 11, 100];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The texts `expected` may be in `language`, as whole-text patterns: parameters (a reference,
 * a code, a summary) match any text, plural forms are tried with a few counts.
 */
export function replyPatterns(driver: ChannelDriver, language: string, expected: ExpectedReply): RegExp[] {
  const key = typeof expected === 'string' ? expected : expected.key;
  const then = typeof expected === 'string' ? '' : `\n${escapeRegExp(expected.then)}`;
  const { i18n } = driver.relais;
  const texts = new Set([i18n.t(language, key), ...PLURAL_COUNTS.map((count) => i18n.t(language, key, { count }))]);
  return [...texts].map(
    (text) =>
      new RegExp(
        `^${text
          .split(/\{\{\w+\}\}/)
          .map(escapeRegExp)
          .join('[\\s\\S]*?')}${then}$`,
      ),
  );
}

/** An account of the walk on the channel, with what the walk has read of its replies. */
export interface WalkAccount {
  person: ChannelPerson;
  /** replies read by earlier steps */
  seen: number;
  /** language of the replies last read (labels to tap are in it) */
  shown: string;
}

export interface WalkResult {
  accounts: Record<string, WalkAccount>;
  /** every reply of the walk, per account, in order */
  replies: Record<string, ChannelReply[]>;
  captured: Record<string, string>;
}

/** The identity of an account (how Relais knows the platform id: an HMAC). */
export async function identityOf(driver: ChannelDriver, person: ChannelPerson) {
  const { db, secrets } = driver.relais;
  const platformIdHash = secrets.hash(`${driver.channel}:${person.platformId}`);
  return eventually(() =>
    db.channelIdentity.findUnique({ where: { channel_platformIdHash: { channel: driver.channel, platformIdHash } } }),
  );
}

/** Waits until every reply Relais wrote to this account has left (none PENDING). */
export async function settled(driver: ChannelDriver, person: ChannelPerson): Promise<void> {
  const identity = await identityOf(driver, person);
  await eventually(
    async () =>
      (await driver.relais.db.message.count({
        where: { identityId: identity.id, direction: 'OUTBOUND', status: 'PENDING' },
      })) === 0,
  );
}

/** Waits for `count` replies after the `seen` first ones, and returns them. */
export async function nextReplies(account: WalkAccount, count: number, timeoutMs = 15_000): Promise<ChannelReply[]> {
  const all = await eventually(async () => {
    const replies = await account.person.replies();
    return replies.length >= account.seen + count ? replies : undefined;
  }, timeoutMs).catch(async () => {
    const got = (await account.person.replies()).slice(account.seen).map((r) => r.text.split('\n')[0]);
    throw new Error(`expected ${count} more replies within ${timeoutMs} ms, got ${got.length}: ${JSON.stringify(got)}`);
  });
  const fresh = all.slice(account.seen, account.seen + count);
  account.seen += count;
  return fresh;
}

/** Asserts that `replies` are exactly the expected texts in `language`, and their choices written in its direction. */
export function expectReplies(
  driver: ChannelDriver,
  replies: ChannelReply[],
  expected: readonly ExpectedReply[],
  language: string,
  context: string,
): void {
  expect(replies.length, `${context}: number of replies`).toBe(expected.length);
  replies.forEach((reply, i) => {
    const wanted = expected[i] ?? '';
    const patterns = replyPatterns(driver, language, wanted);
    const name = typeof wanted === 'string' ? wanted : wanted.key;
    expect(
      patterns.some((p) => p.test(reply.text)),
      `${context} → ${name} in ${language}, got: ${reply.text}`,
    ).toBe(true);
    if (reply.choices.length > 0) {
      const direction = driver.relais.i18n.isRtl(language) ? 'rtl' : 'ltr';
      expect([direction, 'app'], `${context} → ${name}: direction of its choices`).toContain(reply.direction);
    }
    // a numbered list ends with how to answer it, in the person's language; buttons need no such line
    const numbered = driver.numberedChoices && reply.choices.length > 0;
    const hint = numbered ? driver.relais.i18n.t(language, 'common:send_number') : undefined;
    expect(reply.hint, `${context} → ${name}: how to answer its choices`).toBe(hint);
  });
}

async function act(
  driver: ChannelDriver,
  walk: Walk,
  step: WalkStep,
  account: WalkAccount,
  captured: Record<string, string>,
): Promise<void> {
  const { action } = step;
  const person = account.person;
  switch (action.do) {
    case 'start':
      expect(driver.accepted(await person.start(action.greeting)), 'first contact accepted').toBe(true);
      return;
    case 'type': {
      const text = action.text.replace(
        /\{(\w+)\}/g,
        (_all, name: string) => captured[name] ?? expect.unreachable(`nothing captured as ${name}`),
      );
      expect(driver.accepted(await person.type(inDigits(text, action.digits ?? 'latin'))), `"${text}" accepted`).toBe(
        true,
      );
      return;
    }
    case 'tap': {
      const label = 'labelKey' in action ? driver.relais.i18n.t(account.shown, action.labelKey) : action.label;
      expect(driver.accepted(await person.tap(label, action.choice)), `tap on "${label}" accepted`).toBe(true);
      return;
    }
    case 'typeLabel': {
      const label = driver.relais.i18n.t(account.shown, action.labelKey);
      expect(driver.accepted(await person.type(label)), `"${label}" accepted`).toBe(true);
      return;
    }
    case 'volunteerReplies': {
      // what the Slack app does when a volunteer answers in the request's thread
      const { db, dispatcher, i18n } = driver.relais;
      const identity = await identityOf(driver, person);
      const request = await db.request.findFirstOrThrow({
        where: { contactId: identity.contactId },
        orderBy: { number: 'desc' },
      });
      const reply = await db.$transaction((tx) =>
        sendStaffReply(tx, i18n, { requestId: request.id, staffId: 'staff-1', text: action.text }),
      );
      expect(reply, `${walk.name}: the volunteer's reply is written`).not.toBeNull();
      if (reply) await dispatcher.dispatchMessages([reply]);
      return;
    }
    case 'wait':
      return;
  }
}

/** Plays a walk on a channel, checking every reply of every step and that nothing else was sent. */
export async function runWalk(driver: ChannelDriver, walk: Walk): Promise<WalkResult> {
  const accounts: Record<string, WalkAccount> = {};
  for (const [name, who] of Object.entries(walk.people)) {
    const person = driver.person({ appLanguage: who.appLanguage, ...(who.digits ? { digits: who.digits } : {}) });
    accounts[name] = { person, seen: 0, shown: driver.firstContactLanguage(who.appLanguage) };
  }
  const first = Object.keys(walk.people)[0] ?? '';
  const captured: Record<string, string> = {};
  for (const [index, step] of walk.steps.entries()) {
    const who = step.who ?? first;
    const account = accounts[who] ?? expect.unreachable(`no person ${who} in ${walk.name}`);
    const person = walk.people[who] ?? expect.unreachable(who);
    const language = step.firstContact ? driver.firstContactLanguage(person.appLanguage) : (step.in ?? person.language);
    const context = `${walk.name} step ${index + 1} (${who}: ${step.action.do})`;
    await act(driver, walk, step, account, captured);
    const replies = await nextReplies(account, step.expect.length).catch((error: unknown) => {
      throw new Error(`${context}: ${error instanceof Error ? error.message : String(error)}`);
    });
    expectReplies(driver, replies, step.expect, language, context);
    if (step.capture) {
      const match = replies.map((r) => step.capture?.pattern.exec(r.text)?.[0]).find((m) => m !== undefined);
      captured[step.capture.name] =
        match ?? expect.unreachable(`${walk.name}: nothing matched ${String(step.capture.pattern)}`);
    }
    account.shown = language;
  }
  const replies: Record<string, ChannelReply[]> = {};
  for (const [name, account] of Object.entries(accounts)) {
    await settled(driver, account.person);
    replies[name] = await account.person.replies();
    expect(replies[name].slice(account.seen), `${walk.name}: ${name} received nothing more`).toEqual([]);
  }
  return { accounts, replies, captured };
}
