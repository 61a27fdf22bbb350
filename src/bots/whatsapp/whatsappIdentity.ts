import { z } from 'zod';
import type { Db } from '../../core/db.js';
import { findKnownPlatformId, recordPlatformIdAliases } from '../../core/contacts/platformIdAliases.js';
import type { Secrets } from '../../core/secrets.js';
import type { WhatsAppClient } from './whatsappClient.js';
import { isPersonalChat } from './whatsappMessage.js';

const PAIR_LOOKUP_MS = 5_000;
const pairSchema = z.array(z.object({ lid: z.string().nullish(), pn: z.string().nullish() }));

export interface ResolvedSender {
  /** the one platform id Relais uses for this person (identity key and delivery address) */
  platformId: string;
  /** other names of the same account to remember once the identity exists */
  aliases: string[];
}

/**
 * WhatsApp names one person `<phone>@c.us` and, more and more, `<linked id>@lid`. Relais keeps
 * one identity per person: the platform id is the form it met first (the phone-based form
 * when WhatsApp Web can tell it on first contact), and every other form is recorded as an
 * alias (HMAC only), so a person never becomes a stranger when WhatsApp switches forms, even
 * if WhatsApp Web cannot resolve the pair at that moment.
 */
export class WhatsAppIdentities {
  constructor(private readonly deps: { db: Db; secrets: Secrets }) {}

  async resolve(client: WhatsAppClient, jid: string): Promise<ResolvedSender> {
    const { db, secrets } = this.deps;
    const known = await findKnownPlatformId(db, secrets, 'WHATSAPP', [jid]);
    if (known) return { platformId: known, aliases: [] };
    const pair = await lookupPair(client, jid);
    // preference when both forms already had identities (before aliases existed): phone first
    const forms = unique(
      [pair.pn, pair.lid, jid].filter((id): id is string => typeof id === 'string' && isPersonalChat(id)),
    );
    const platformId = (await findKnownPlatformId(db, secrets, 'WHATSAPP', forms)) ?? pair.pn ?? jid;
    return { platformId, aliases: forms.filter((id) => id !== platformId) };
  }

  /** Call after the message is stored (its identity exists then); idempotent. */
  async remember(sender: ResolvedSender): Promise<void> {
    if (sender.aliases.length === 0) return;
    await recordPlatformIdAliases(this.deps.db, this.deps.secrets, 'WHATSAPP', sender.platformId, sender.aliases);
  }
}

/** Both forms of an account from WhatsApp Web, or none when it cannot tell (quickly). */
async function lookupPair(client: WhatsAppClient, jid: string): Promise<{ lid?: string; pn?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      client.getContactLidAndPhone([jid]),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('lid/phone lookup timed out')), PAIR_LOOKUP_MS);
      }),
    ]);
    const first = pairSchema.parse(answer)[0];
    return {
      ...(first?.lid && isPersonalChat(first.lid) ? { lid: first.lid } : {}),
      ...(first?.pn && isPersonalChat(first.pn) ? { pn: first.pn } : {}),
    };
  } catch {
    // an older WhatsApp Web, a contact it does not know yet: fall back to the form we got
    return {};
  } finally {
    clearTimeout(timer);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
