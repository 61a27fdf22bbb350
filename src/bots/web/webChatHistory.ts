import type { Db } from '../../core/db.js';
import { findIdentity } from '../../core/contacts/contactService.js';
import { inboundContentSchema, outboundContentSchema, type OutboundContent } from '../../core/messages/messageTypes.js';
import { CODE_ENTERED } from '../../core/conversation/reconnectCodeFormat.js';
import { eraseFetchedSensitive, type Queryable } from '../../core/outbound/outboxSql.js';
import type { Secrets } from '../../core/secrets.js';
import { profileMark } from './webChatSession.js';

export interface WebChatEntry {
  seq: number;
  from: 'person' | 'relais';
  text: string;
  choices?: Array<{ id: string; label: string }>;
  rtl?: boolean;
  askLocation?: boolean;
  at: string;
}

export interface WebChatHistory {
  messages: WebChatEntry[];
  /** mark of the profile the session writes as (webChatSession.ts); null for an unknown session */
  profile: string | null;
  /**
   * what to ask `after` next: the last entry, or just below a reply not delivered yet (it may
   * come after a later message of the person, and must not be skipped); absent for an unknown session
   */
  next?: number;
  /** the person's language once chosen: the page speaks it too (words, lang, dir) */
  language?: string | null;
}

/**
 * The conversation of one browser session with the profile it writes as now: what the person
 * sent and what Relais delivered. A shared handset that started a new profile ("I am someone
 * else") no longer shows the previous person's messages, even from the same session.
 * The page asks for what comes after the last entry it holds (`after`): the sensitive
 * messages up to there (a reconnection code, a voucher) have reached it, so their text is
 * erased first.
 */
export async function webChatHistory(
  deps: { db: Db; pool: Queryable; secrets: Secrets },
  sessionId: string,
  after: number,
): Promise<WebChatHistory> {
  const { db, secrets } = deps;
  const identity = await findIdentity(db, secrets, 'WEB', sessionId);
  if (!identity) return { messages: [], profile: null };
  const mine = { identityId: identity.id, contactId: identity.contactId };
  if (after > 0) await eraseFetchedSensitive(deps.pool, mine, BigInt(after));
  const rows = await db.message.findMany({
    where: {
      ...mine,
      // the replies not delivered yet too, read in the same snapshot: they bound `next`
      OR: [{ direction: 'INBOUND' }, { direction: 'OUTBOUND', status: { in: ['SENT', 'PENDING'] } }],
      seq: { gt: BigInt(after) },
      contentPurgedAt: null,
    },
    orderBy: { seq: 'desc' },
    take: 150,
    select: { seq: true, direction: true, status: true, content: true, createdAt: true },
  });
  const pending = rows.filter((row) => row.status === 'PENDING');
  const undelivered = pending.reduce((min, row) => Math.min(min, Number(row.seq)), Infinity);
  const last = rows.reduce((max, row) => Math.max(max, Number(row.seq)), after);
  const next = Math.min(last, undelivered - 1);
  const entries: WebChatEntry[] = [];
  // a tap on a button is shown with the button's label: the buttons may have come in an earlier
  // fetch (read only when a tap needs them: most polls return nothing new)
  let lastChoices: OutboundContent['choices'] | undefined = after > 0 ? undefined : [];
  for (const row of rows.reverse()) {
    if (row.status === 'PENDING') continue;
    if (row.direction === 'OUTBOUND') {
      const content = outboundContentSchema.safeParse(row.content);
      if (!content.success) continue;
      if (content.data.choices) lastChoices = content.data.choices;
      entries.push({
        seq: Number(row.seq),
        from: 'relais',
        text: content.data.text,
        at: row.createdAt.toISOString(),
        ...(content.data.choices ? { choices: content.data.choices } : {}),
        ...(content.data.rtl ? { rtl: true } : {}),
        ...(content.data.askLocation ? { askLocation: true } : {}),
      });
      continue;
    }
    const content = inboundContentSchema.safeParse(row.content);
    if (!content.success) continue;
    const c = content.data;
    if (c.kind === 'choice' && lastChoices === undefined) lastChoices = await choicesBefore(db, mine, after);
    const text =
      c.kind === 'text'
        ? typedText(c.text)
        : c.kind === 'choice'
          ? (lastChoices?.find((x) => x.id === c.choiceId)?.label ?? c.choiceId)
          : c.kind === 'location'
            ? '📍'
            : c.kind === 'start'
              ? ''
              : '📎';
    if (text) entries.push({ seq: Number(row.seq), from: 'person', text, at: row.createdAt.toISOString() });
  }
  const contact = await db.contact.findUnique({ where: { id: identity.contactId }, select: { language: true } });
  return {
    messages: entries,
    profile: profileMark(secrets, identity.contactId),
    next,
    language: contact?.language ?? null,
  };
}

/** A code the person typed is stored redacted: the page shows a key and dots, in no language, never the marker. */
function typedText(text: string): string {
  return CODE_ENTERED.kind === 'text' && text === CODE_ENTERED.text ? '🔑 ••••••••••' : text;
}

/** The buttons of the latest of the few replies the page already holds (up to `after`). */
async function choicesBefore(
  db: Db,
  mine: { identityId: string; contactId: string },
  after: number,
): Promise<OutboundContent['choices']> {
  const recent = await db.message.findMany({
    where: { ...mine, direction: 'OUTBOUND', status: 'SENT', seq: { lte: BigInt(after) }, contentPurgedAt: null },
    orderBy: { seq: 'desc' },
    take: 5,
    select: { content: true },
  });
  for (const row of recent) {
    const content = outboundContentSchema.safeParse(row.content);
    if (content.success && content.data.choices) return content.data.choices;
  }
  return [];
}
