import type { Db } from '../db.js';
import type { Secrets } from '../secrets.js';
import type { Channel } from '../../generated/prisma/enums.js';

/**
 * The platform id Relais already knows for one of `candidates` (several names of the same
 * account, e.g. WhatsApp's `…@c.us` and `…@lid`): first an identity created with one of them,
 * then an alias recorded earlier. Null when none is known (a new person).
 */
export async function findKnownPlatformId(
  db: Db,
  secrets: Secrets,
  channel: Channel,
  candidates: readonly string[],
): Promise<string | null> {
  if (candidates.length === 0) return null;
  const hashes = candidates.map((id) => secrets.hash(`${channel}:${id}`));
  const identities = await db.channelIdentity.findMany({
    where: { channel, platformIdHash: { in: hashes } },
    select: { platformIdHash: true, addressCipher: true },
  });
  // the candidates' order is the caller's preference when (before aliases existed) two identities were created
  for (const hash of hashes) {
    const identity = identities.find((i) => i.platformIdHash === hash);
    if (identity) return secrets.decrypt(identity.addressCipher);
  }
  const alias = await db.channelIdentityAlias.findFirst({
    where: { channel, aliasHash: { in: hashes } },
    orderBy: { createdAt: 'asc' },
    select: { identity: { select: { addressCipher: true } } },
  });
  return alias ? secrets.decrypt(alias.identity.addressCipher) : null;
}

/**
 * Records that `aliases` name the same account as the identity of `platformId`, so a later
 * message from an alias reaches the same person. Only HMACs are stored; idempotent. Does
 * nothing when that identity does not exist (erased meanwhile).
 */
export async function recordPlatformIdAliases(
  db: Db,
  secrets: Secrets,
  channel: Channel,
  platformId: string,
  aliases: readonly string[],
): Promise<number> {
  const others = aliases.filter((alias) => alias !== platformId);
  if (others.length === 0) return 0;
  const identity = await db.channelIdentity.findUnique({
    where: { channel_platformIdHash: { channel, platformIdHash: secrets.hash(`${channel}:${platformId}`) } },
    select: { id: true },
  });
  if (!identity) return 0;
  const created = await db.channelIdentityAlias.createMany({
    data: others.map((alias) => ({ channel, aliasHash: secrets.hash(`${channel}:${alias}`), identityId: identity.id })),
    skipDuplicates: true,
  });
  return created.count;
}

/**
 * The account of `oldId` now writes from `newId` (WhatsApp Business: "user changed number"):
 * the person gets an identity under the new id, on the same contact, and what was still
 * waiting for the old one (pending, or held outside the 24-hour window) goes to the new one,
 * so nothing more is sent to a number that may already belong to someone else. False when
 * the old id is unknown (erased) or the new one is someone else's.
 */
export async function moveToNewPlatformId(
  db: Db,
  secrets: Secrets,
  channel: Channel,
  oldId: string,
  newId: string,
): Promise<boolean> {
  if (oldId === newId) return false;
  return db.$transaction(async (tx) => {
    const key = (id: string) => ({
      channel_platformIdHash: { channel, platformIdHash: secrets.hash(`${channel}:${id}`) },
    });
    const old = await tx.channelIdentity.findUnique({
      where: key(oldId),
      select: { id: true, contactId: true, profileIds: true },
    });
    if (!old) return false;
    const existing = await tx.channelIdentity.findUnique({ where: key(newId), select: { id: true, contactId: true } });
    if (existing && existing.contactId !== old.contactId) return false;
    const target =
      existing ??
      (await tx.channelIdentity.create({
        data: {
          channel,
          platformIdHash: secrets.hash(`${channel}:${newId}`),
          addressCipher: secrets.encrypt(newId),
          contactId: old.contactId,
          profileIds: old.profileIds,
        },
        select: { id: true },
      }));
    await tx.message.updateMany({
      where: { identityId: old.id, direction: 'OUTBOUND', status: { in: ['PENDING', 'HELD'] } },
      data: { identityId: target.id },
    });
    return true;
  });
}
