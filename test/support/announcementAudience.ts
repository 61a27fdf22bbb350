import { resolveIdentity } from '../../src/core/contacts/contactService.js';
import type { Relais } from '../../src/relais.js';

/**
 * People who already went through onboarding on Telegram (language chosen, notice accepted),
 * written straight to Postgres as the inbound path leaves them: for audiences too large to
 * onboard message by message. Chat ids `firstChatId`, `firstChatId + 1`, …
 */
export async function seedTelegramPeople(
  relais: Relais,
  input: { count: number; firstChatId: number; language: string; associationId: string },
): Promise<string[]> {
  const contactIds: string[] = [];
  for (let i = 0; i < input.count; i++) {
    const identity = await relais.db.$transaction((tx) =>
      resolveIdentity(tx, relais.secrets, 'TELEGRAM', String(input.firstChatId + i)),
    );
    contactIds.push(identity.contactId);
  }
  await relais.db.contact.updateMany({
    where: { id: { in: contactIds } },
    data: { language: input.language, consentAt: new Date(), associationId: input.associationId },
  });
  return contactIds;
}
